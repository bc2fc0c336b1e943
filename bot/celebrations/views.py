"""Block Kit for celebrations: the public post, the celebrated person's DM, the modal, and why
someone cannot be celebrated.

The refusal and the suggestion to a lead are in ``suggestion_views.py``.

Every piece of user text goes through ``escape``; the only mentions emitted are the ones
the parser found, re-built here from their ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from babel.lists import format_list
from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
    StaticMultiSelectElement,
    UserMultiSelectElement,
)

from bot.celebrations.store import (
    MAX_REASON_CHARS,
    LinkedMoment,
    ParsedCelebration,
    Piece,
)
from bot.core import ids
from bot.core.i18n import ENGLISH, N_, Translator
from bot.core.redact import redact
from bot.core.text import escape, truncate

SECTION_LIMIT = 2900
PLAIN_NAME_MAX = 40  # a name in a modal error, which Slack cuts at 150 characters
USER_ID = re.compile(r"[UW][A-Z0-9]+")
_GROUP_ID = re.compile(r"S[A-Z0-9]+")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]+")
_ATOM = re.compile(r"&[a-z]+;|.", re.DOTALL)
_OUTCOMES = {
    "win": N_("a win 🏆"),
    "neutral": N_("neutral"),
    "problem": N_("a problem turned around"),
}
Blocks = list[dict[str, Any]]


def user_mention(user_id: str) -> str:
    """A live mention for a parsed/validated user id (anything else is shown escaped)."""
    return f"<@{user_id}>" if USER_ID.fullmatch(user_id) else escape(user_id)


def channel_link(channel_id: str) -> str:
    """A channel link for an id Slack gave the app."""
    return f"<#{channel_id}>" if _CHANNEL_ID.fullmatch(channel_id) else escape(channel_id)


def _group_mention(group_id: str) -> str:
    return f"<!subteam^{group_id}>" if _GROUP_ID.fullmatch(group_id) else escape(group_id)


def who_line(parsed: ParsedCelebration, t: Translator = ENGLISH) -> str:
    """``<@A>, <@B> and <!subteam^S1>``: the celebrated, as live mentions, listed the way
    ``t``'s language lists (CLDR, through Babel: "<@A>, <@B> et <@C>")."""
    names = [user_mention(u) for u in parsed.people] + [_group_mention(g) for g in parsed.groups]
    if len(names) <= 1:
        return "".join(names)
    if t.language != ENGLISH.language:
        return format_list(names, locale=t.locale)
    return ", ".join(names[:-1]) + " and " + names[-1]


def person_problem(
    user_id: str, user: dict[str, Any] | None, *, plain: bool = False, t: Translator = ENGLISH
) -> str | None:
    """Why the person Slack describes as ``user`` (None: unknown) cannot be celebrated, or None.

    ``plain`` names them by name (shortened) instead of a mention: modal errors are plain text
    of at most 150 characters.
    """
    if user is None:
        return t.gettext(
            "I can't find %(person)s in this workspace. Nothing was posted.",
            person=escape(user_id),
        )
    name = str(user.get("real_name") or user.get("name") or user_id)
    shown = truncate(name, PLAIN_NAME_MAX) if plain else user_mention(user_id)
    if user.get("is_bot") or user_id == "USLACKBOT":
        return t.gettext(
            "%(person)s is a bot: celebrations are for people. Nothing was posted.", person=shown
        )
    if user.get("deleted"):
        return t.gettext(
            "%(person)s has been deactivated, so I can't celebrate them. Nothing was posted.",
            person=shown,
        )
    return None


def _atoms(piece: Piece) -> list[str]:
    if piece.kind == "user":
        return [user_mention(piece.value)]
    if piece.kind == "group":
        return [_group_mention(piece.value)]
    return _ATOM.findall(escape(piece.value))


def reason_chunks(pieces: Sequence[Piece], limit: int = SECTION_LIMIT) -> list[str]:
    """The reason as escaped mrkdwn, cut into chunks that fit a section (never mid-entity)."""
    chunks: list[str] = []
    current = ""
    for atom in (a for p in pieces for a in _atoms(p)):
        if len(current) + len(atom) > limit:
            chunks.append(current)
            current = ""
        current += atom
    if current.strip():
        chunks.append(current)
    return [c.strip() for c in chunks if c.strip()]


def values_line(values: Sequence[str]) -> str:
    return "  ".join(f"`#{escape(v)}`" for v in values)


def dicts(blocks: Sequence[Block]) -> Blocks:
    return [b.to_dict() for b in blocks]


def build_celebration_post(
    parsed: ParsedCelebration,
    *,
    celebrated_by: str,
    moment: LinkedMoment | None = None,
    t: Translator = ENGLISH,
) -> tuple[str, Blocks]:
    """The public post: who, what, values, the customer moment, by whom. Returns (text, blocks)."""
    who = who_line(parsed, t)
    headline = MarkdownTextObject(text=t.gettext("🎉 *Let's celebrate %(who)s!*", who=who))
    blocks: list[Block] = [SectionBlock(text=headline)]
    blocks += [SectionBlock(text=MarkdownTextObject(text=c)) for c in reason_chunks(parsed.reason)]
    if moment is not None:
        story = escape(truncate(redact(moment.what_happened), 400))
        known = _OUTCOMES.get(moment.outcome)
        outcome = t.gettext(known) if known else escape(moment.outcome)
        line = t.gettext(
            "*Customer moment:* %(customer)s (%(outcome)s)",
            customer=escape(moment.customer),
            outcome=outcome,
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"{line}\n>{story}")))
    footer = t.gettext("Celebrated by %(lead)s", lead=user_mention(celebrated_by))
    if parsed.values:
        footer += "  ·  " + values_line(parsed.values)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=footer)]))
    reason = escape(truncate(parsed.reason_text, 300))
    text = t.gettext("🎉 Let's celebrate %(who)s: %(reason)s", who=who, reason=reason)
    return text, dicts(blocks)


def build_celebrated_dm(
    parsed: ParsedCelebration, *, celebrated_by: str, channel_id: str, t: Translator = ENGLISH
) -> tuple[str, Blocks]:
    """The DM each celebrated person gets, in their language."""
    intro = t.gettext(
        "🎉 You've just been celebrated by %(lead)s in %(channel)s. "
        "Congratulations, and thank you!",
        lead=user_mention(celebrated_by),
        channel=channel_link(channel_id),
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=intro))]
    chunks = reason_chunks(parsed.reason)
    if chunks:
        reason = t.gettext("*For:* %(reason)s", reason=chunks[0])
        blocks.append(SectionBlock(text=MarkdownTextObject(text=reason)))
    return intro, dicts(blocks)


def build_celebrate_modal(
    *,
    people: Sequence[str],
    reason: str,
    values: Sequence[str],
    company_values: Sequence[str],
    moment: LinkedMoment | None = None,
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    """The celebrate modal in ``t``, prefilled (from a customer moment, or empty)."""
    blocks: list[Block] = []
    if moment is not None:
        label = _OUTCOMES.get(moment.outcome)
        outcome = t.gettext(label) if label else escape(moment.outcome)
        origin = t.gettext(
            "From a customer moment with %(customer)s (%(outcome)s)",
            customer=f"*{escape(moment.customer)}*",
            outcome=outcome,
        )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=origin)]))
    blocks.append(
        InputBlock(
            block_id=ids.CELEBRATE_PEOPLE_BLOCK,
            label=t.gettext("Who are we celebrating?"),
            element=UserMultiSelectElement(
                action_id=ids.CELEBRATE_PEOPLE_ACTION,
                placeholder=t.gettext("Pick people"),
                initial_users=[p for p in people if USER_ID.fullmatch(p)] or None,
            ),
        )
    )
    blocks.append(
        InputBlock(
            block_id=ids.CELEBRATE_REASON_BLOCK,
            label=t.gettext("What for?"),
            element=PlainTextInputElement(
                action_id=ids.CELEBRATE_REASON_ACTION,
                multiline=True,
                max_length=MAX_REASON_CHARS,
                initial_value=truncate(reason, MAX_REASON_CHARS) or None,
                placeholder=t.gettext("Turning ACME's outage into a renewal"),
            ),
        )
    )
    if company_values:
        options = [Option(text=f"#{v}", value=v) for v in company_values]
        initial = [o for o in options if o.value in set(values)]
        blocks.append(
            InputBlock(
                block_id=ids.CELEBRATE_VALUES_BLOCK,
                label=t.gettext("Company values it shows"),
                optional=True,
                element=StaticMultiSelectElement(
                    action_id=ids.CELEBRATE_VALUES_ACTION,
                    placeholder=t.gettext("Pick values"),
                    options=options,
                    initial_options=initial or None,
                ),
            )
        )
    return {
        "type": "modal",
        "callback_id": ids.CELEBRATE_MODAL,
        "title": PlainTextObject(text=t.gettext("Celebrate a win")).to_dict(),
        "submit": PlainTextObject(text=t.gettext("Celebrate 🎉")).to_dict(),
        "close": PlainTextObject(text=t.gettext("Cancel")).to_dict(),
        "private_metadata": json.dumps({"moment_id": moment.id if moment else None}),
        "blocks": dicts(blocks),
    }
