"""Customer text reaches staff only through bot/core/redact.py, checked from the source.

Every surface module (Block Kit views and the exports analysts read) that reads a
customer-text field must pass it through ``redact``; and no other module finds e-mail
addresses or phone numbers its own way, so there is one rule to fix, in one place.
"""

from __future__ import annotations

import ast
from pathlib import Path

from bot.core.redact import redact

ROOT = Path(__file__).resolve().parent.parent.parent
# Fields holding what customers (or staff, about a customer) wrote.
CUSTOMER_TEXT = {"what_happened", "backstory", "comment"}
REDACTORS = {"redact", "redact_optional"}


def surfaces() -> list[Path]:
    """Modules that show text to staff: views and the exports."""
    found = []
    for package in ("bot", "handlers"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.name.endswith("views.py") or path.name == "export.py":
                found.append(path)
    return found


def unredacted_reads(path: Path) -> list[str]:
    """Customer-text attributes read outside a redact(...) call and outside an if-test."""
    tree = ast.parse(path.read_text(), str(path))
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    bad = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr in CUSTOMER_TEXT
            and isinstance(node.ctx, ast.Load)
        ):
            continue
        ok, child, up = False, node, parents.get(node)
        while up is not None and not ok:
            if isinstance(up, ast.Call) and ast.unparse(up.func) in REDACTORS:
                ok = True
            elif isinstance(up, ast.If | ast.IfExp | ast.While) and child is up.test:
                ok = True  # only tested for presence, not shown
            child, up = up, parents.get(up)
        if not ok:
            bad.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    return bad


def test_every_surface_shows_customer_text_through_redact() -> None:
    checked = surfaces()
    assert any(p.name == "export.py" for p in checked)
    assert len(checked) >= 10
    bad = [line for path in checked for line in unredacted_reads(path)]
    assert not bad, "show customer text through bot.core.redact.redact:\n" + "\n".join(bad)


def test_the_surfaces_that_show_customer_text_are_the_ones_checked() -> None:
    reading = {p.relative_to(ROOT).as_posix() for p in surfaces() if _reads_customer_text(p)}
    assert reading >= {
        "bot/stories/views.py",  # the telling beside the team's (digest, /cx customer)
        "bot/digest/views.py",
        "bot/customers/views.py",
        "bot/moments/logged_views.py",
        "bot/celebrations/views.py",
        "bot/insights/export.py",
    }


def _reads_customer_text(path: Path) -> bool:
    tree = ast.parse(path.read_text(), str(path))
    return any(isinstance(n, ast.Attribute) and n.attr in CUSTOMER_TEXT for n in ast.walk(tree))


def test_no_other_module_finds_contact_details_its_own_way() -> None:
    own = ROOT / "bot" / "core" / "redact.py"
    for package in ("bot", "handlers"):
        for path in (ROOT / package).rglob("*.py"):
            if path == own:
                continue
            source = path.read_text()
            assert "phonenumbers" not in source, path
            assert "@[\\w" not in source, f"{path}: an e-mail pattern outside bot/core/redact.py"


def test_redact_takes_out_contact_details_and_keeps_the_rest() -> None:
    told = (
        "Write to jane.doe+cx@example.co.uk, call +44 20 7946 0958 or (415) 555-2671; "
        "order 12345678 of 2026-03-02 cost 1,250.00 and took 3 days."
    )
    assert redact(told) == (
        "Write to [email], call [phone] or [phone]; "
        "order 12345678 of 2026-03-02 cost 1,250.00 and took 3 days."
    )
    assert redact("mon portable : 06 12 34 56 78") == "mon portable : [phone]"
    assert redact("電話 03-1234-5678") == "電話 [phone]"
    assert redact("") == ""
