"""The README stays a short front door and the docs cannot drift from app.yaml or each other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SCOPES_PAGE = DOCS / "install.md"
SCOPES_HEADING = "## Scopes and why each is needed"
README_MAX_LINES = 200

# [text](target) and ![alt](target); the target ends at whitespace (a title) or ")".
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
CODE_SPAN = re.compile(r"`[^`\n]*`")


def _markdown_files() -> list[Path]:
    return [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]


def _prose(text: str) -> str:
    """The text without fenced code blocks or code spans, where "](" is not a link."""
    kept: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            kept.append(CODE_SPAN.sub("", line))
    return "\n".join(kept)


def relative_links(path: Path) -> list[str]:
    """Every link in a Markdown file that points into the repository (no scheme, no bare #)."""
    targets = LINK.findall(_prose(path.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t) and t[0] != "#"]


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in relative_links(path):
        file_part = target.split("#", 1)[0]
        if not (path.parent / file_part).exists():
            broken.append(target)
    return broken


def documented_scopes(page: Path) -> tuple[set[str], list[str]]:
    """The bot scopes in the page's scopes table, and the rows that are not one bot scope."""
    text = page.read_text(encoding="utf-8")
    assert SCOPES_HEADING in text, f"{page} has no '{SCOPES_HEADING}' section"
    section = text.split(SCOPES_HEADING, 1)[1].split("\n## ", 1)[0]
    scopes: set[str] = set()
    others: list[str] = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or cells[0] in {"scope", ""} or set(cells[0]) <= {"-"}:
            continue
        match = re.fullmatch(r"`([a-z]+(?:[:.][a-z]+)*)`", cells[0])
        if match:
            scopes.add(match.group(1))
        else:
            others.append(cells[0])
    return scopes, others


def manifest_bot_scopes() -> set[str]:
    manifest = yaml.safe_load((ROOT / "app.yaml").read_text(encoding="utf-8"))
    return set(manifest["oauth_config"]["scopes"]["bot"])


def test_the_scopes_table_lists_exactly_the_manifests_bot_scopes() -> None:
    documented, others = documented_scopes(SCOPES_PAGE)
    asked = manifest_bot_scopes()
    assert sorted(asked - documented) == [], "app.yaml asks for scopes the docs do not explain"
    assert sorted(documented - asked) == [], "the docs explain scopes app.yaml does not ask for"
    # The only other row is the app-level token's scope, which is not a bot scope.
    assert others == ["`connections:write` (app-level token, Socket Mode only)"]


def test_the_scopes_check_sees_a_missing_and_an_extra_scope(tmp_path: Path) -> None:
    page = tmp_path / "install.md"
    page.write_text(
        f"# Install\n\n{SCOPES_HEADING}\n\n| scope | needed for |\n|---|---|\n"
        "| `commands` | the command |\n| `users:read.email` | emails |\n\n## Next\n\n"
        "| `chat:write` | outside the section |\n",
        encoding="utf-8",
    )
    assert documented_scopes(page) == ({"commands", "users:read.email"}, [])


def test_readme_is_a_short_front_door() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines"


@pytest.mark.parametrize("path", _markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_at_a_file(path: Path) -> None:
    assert broken_links(path) == []


def test_the_link_check_finds_a_broken_link_and_skips_code(tmp_path: Path) -> None:
    (tmp_path / "there.md").write_text("# There\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md#a) [gone](missing.md) ![img](nope.png) [web](https://example.com)\n"
        "[anchor](#here) `[code](not-a-link.md)`\n```\n[fenced](also-not.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(page) == ["missing.md", "nope.png"]


def test_every_docs_page_is_in_the_site_nav() -> None:
    nav_text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    in_nav = set(re.findall(r"([\w/-]+\.md)", nav_text))
    pages = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")}
    assert sorted(pages - in_nav) == []
    assert sorted(in_nav - pages) == []
