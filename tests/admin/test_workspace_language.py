"""The workspace's language, set in `/cx admin`: channel posts follow it, and a new digest
channel starts on it."""

from __future__ import annotations

from dataclasses import replace

from bot.admin.store import AdminForm, validate_admin_form
from bot.core import ids
from tests.support.admin import admin_config, admin_user, open_admin
from tests.support.celebrations import Party
from tests.support.languages import english_left, texts
from tests.support.waiting import open_view


def test_a_french_workspace_gets_french_celebration_posts_and_digest_default(
    party: Party,
) -> None:
    stack = party.stack
    admin = admin_user(stack)
    view = open_admin(stack, admin)
    menu = next(b for b in view["blocks"] if b.get("block_id") == ids.ADMIN_LANGUAGE)
    assert menu["element"]["initial_option"]["value"] == "en"
    french = next(o for o in menu["element"]["options"] if o["text"]["text"] == "français")
    answers = {ids.ADMIN_LANGUAGE: french["value"], ids.ADMIN_CELEBRATIONS: party.channel}
    saved = stack.actor.submit_view(admin, view, answers)
    assert saved.json is not None
    assert saved.json["response_action"] == "update"
    assert admin_config(stack).language == "fr"

    reopened = open_admin(stack, admin, count=2)
    stack.actor.click(admin, view=reopened, action_id=ids.ADMIN_DIGEST_ADD)
    stack.emulator.wait_for("views.push")
    child = open_view(stack.emulator, ids.ADMIN_DIGEST_VIEW)
    digest_menu = next(b for b in child["blocks"] if b.get("block_id") == ids.DIGEST_LANGUAGE)
    assert digest_menu["element"]["initial_option"]["value"] == "fr"

    reply = stack.actor.slash_command(party.lead, f"celebrate <@{party.alice}> for the rescue")
    assert reply.status == 200
    party.wait_post_in_channel()
    party.drain()
    (post,) = party.posts()
    shown = [post["text"], *texts(post["blocks"])]
    assert f"🎉 *Bravo à <@{party.alice}> !*" in shown
    assert english_left("fr", shown) == []


def test_a_language_outside_the_list_is_refused_by_name() -> None:
    """Slack only sends the menu's options; a forged value still never gets stored."""
    form = AdminForm(
        pulse_time="10:00",
        working_days=["0"],
        anonymity_threshold="5",
        company_values="#ownership",
        language="tlh",
    )
    choices, errors = validate_admin_form(form)
    assert choices is None
    assert errors == {"language": "Pick one of the languages in the list."}
    good, _ = validate_admin_form(replace(form, language="ja"))
    assert good is not None
    assert good.language == "ja"
