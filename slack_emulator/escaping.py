"""Slash-command text as Slack sends it, for the command's `should_escape` setting.

What a person types in Slack's composer is text plus mentions picked from the
autocomplete. The actor writes picked mentions in Slack's own form (`<@U123>`,
`<#C123>`, `<!subteam^S123>`, `<!here>`) and everything else as typed, including a
plain `@alex`; a `<@U999>` naming nobody in the workspace cannot have been picked, so
it counts as typed text. Slack then sends, per the app manifest:

- `should_escape: true`: every mention as a control sequence with its label
  (`<@U123|alex>`, `<#C123|general>`, `<!subteam^S123|@leads>`, `<!here>`), a typed
  `@name`, `#channel` or `@here` that Slack recognises turned into one too, and the
  typed `&`, `<`, `>` as `&amp;`, `&lt;`, `&gt;`;
- `should_escape: false`: plain text, mentions as their visible `@name` / `#name`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from slack_emulator.state import Workspace

_ENTITY = re.compile(r"<([@#!][^<>]*)>")
_TYPED = re.compile(r"(?<![\w@#])([@#])([\w][\w.\-]*)")
_BROADCASTS = ("here", "channel", "everyone")


def command_escaping(manifest: dict[str, Any]) -> dict[str, bool]:
    """Each slash command's `should_escape` (Slack's default when unset: false)."""
    commands = (manifest.get("features") or {}).get("slash_commands") or []
    return {str(c["command"]): bool(c.get("should_escape", False)) for c in commands}


def load_manifest(path: str | Path) -> dict[str, Any]:
    """Read an app manifest (YAML or JSON: JSON is YAML)."""
    loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise ValueError(f"{path} is not an app manifest")
    return loaded


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _user_named(ws: Workspace, name: str) -> str | None:
    """The one member whose handle or display name is `name`, as Slack's composer matches."""
    wanted = name.lower()
    found = [
        u.id
        for u in ws.users.values()
        if not u.deleted and wanted in (u.name.lower(), u.real_name.lower().replace(" ", ""))
    ]
    return found[0] if len(found) == 1 else None


def _group_named(ws: Workspace, handle: str) -> str | None:
    return next(
        (g["id"] for g in ws.usergroups.values() if str(g["handle"]).lower() == handle.lower()),
        None,
    )


def _pickable(ws: Workspace, inner: str) -> bool:
    """Only someone or something that exists can be picked; anything else was typed."""
    target = inner.split("|", 1)[0]
    if target.startswith("@"):
        return target[1:] in ws.users
    if target.startswith("#"):
        return ws.channel(target[1:]) is not None
    if target.startswith("!subteam^"):
        return target[len("!subteam^") :] in ws.usergroups
    return target[1:] in _BROADCASTS


def _picked(ws: Workspace, inner: str, escape: bool) -> str:
    """A mention picked from the autocomplete, as Slack sends it."""
    target = inner.split("|", 1)[0]
    if target.startswith("@"):
        label = ws.users[target[1:]].name
        return f"<{target}|{label}>" if escape else f"@{label}"
    if target.startswith("#"):
        channel = ws.channel(target[1:])
        assert channel is not None
        return f"<#{channel.id}|{channel.name}>" if escape else f"#{channel.name}"
    if target.startswith("!subteam^"):
        label = f"@{ws.usergroups[target[len('!subteam^') :]]['handle']}"
        return f"<{target}|{label}>" if escape else label
    return f"<{target}>" if escape else f"@{target[1:]}"


def _typed(ws: Workspace, text: str, escape: bool) -> str:
    """Typed text: `@name` / `#channel` Slack recognises become mentions when escaping."""
    if not escape:
        return text
    out: list[str] = []
    position = 0
    for match in _TYPED.finditer(text):
        sigil, word = match.groups()
        entity: str | None = None
        if sigil == "#":
            channel = ws.channel(word)
            if channel is not None and not channel.is_im:
                entity = f"<#{channel.id}|{channel.name}>"
        elif word.lower() in _BROADCASTS:
            entity = f"<!{word.lower()}>"
        elif (user := _user_named(ws, word)) is not None:
            entity = f"<@{user}|{ws.users[user].name}>"
        elif (group := _group_named(ws, word)) is not None:
            entity = f"<!subteam^{group}|@{ws.usergroups[group]['handle']}>"
        if entity is None:
            continue
        out += [_escape(text[position : match.start()]), entity]
        position = match.end()
    out.append(_escape(text[position:]))
    return "".join(out)


def command_text(ws: Workspace, typed: str, *, escape: bool) -> str:
    """The `text` field Slack sends for what the person typed after the command."""
    out: list[str] = []
    position = 0
    for match in _ENTITY.finditer(typed):
        if not _pickable(ws, match.group(1)):
            continue
        out.append(_typed(ws, typed[position : match.start()], escape))
        out.append(_picked(ws, match.group(1), escape))
        position = match.end()
    out.append(_typed(ws, typed[position:], escape))
    return "".join(out)
