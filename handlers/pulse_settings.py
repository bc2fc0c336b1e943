"""`/cx pause|resume|settings|forget-me`, their App Home buttons and modals, the Home section."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core import ids
from bot.core.features import HomeRequest, HomeSections
from bot.core.i18n import Translator, language_for, translator
from bot.core.router import CommandCall
from bot.home.delivery import publish_home
from bot.home.store import pulse_summary
from bot.pulse import prefs as pulse_prefs
from bot.pulse import settings_views as views
from bot.pulse.schedule import local_date, parse_working_days, plan_for
from bot.runtime import Runtime
from bot.workspace.clients import person_for_request
from bot.workspace.config import effective_config
from bot.workspace.store import find_person, language_of, translator_for
from models import Person, PulsePreference

logger = logging.getLogger(__name__)
HOME_ORDER = 10


def _team_user(body: dict[str, Any]) -> tuple[str, str]:
    return body["team"]["id"], body["user"]["id"]


def _person(session: Session, client: WebClient, team_id: str, user_id: str) -> Person:
    return person_for_request(session, client, team_id=team_id, user_id=user_id)


def _translator(runtime: Runtime, team_id: str, user_id: str) -> Translator:
    with runtime.sessions() as session:
        return translator_for(session, slack_team_id=team_id, slack_user_id=user_id)


def _refresh_home(
    client: WebClient, runtime: Runtime, home: HomeSections, team_id: str, user_id: str
) -> None:
    try:
        publish_home(client, runtime, home, HomeRequest(team_id=team_id, user_id=user_id))
    except Exception:
        logger.exception("re-publishing App Home failed")


def pause_message(
    runtime: Runtime, client: WebClient, team_id: str, user_id: str, days: int
) -> str:
    """Pause the person for ``days`` days; the confirmation text."""
    now = runtime.now()
    with runtime.transaction() as session:
        person = _person(session, client, team_id, user_id)
        until = pulse_prefs.pause(
            session, person=person, days=days, today=local_date(now, person.tz), now=now
        )
        t = translator(language_of(person))
    return t.gettext(
        "⏸ Pulses paused through %(until)s. `/cx resume` turns them back on sooner.",
        until=t.short_day(until),
    )


def resume_message(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> str:
    """Resume pulses; the confirmation text."""
    with runtime.transaction() as session:
        person = _person(session, client, team_id, user_id)
        changed = pulse_prefs.resume(session, person=person, now=runtime.now())
        t = translator(language_of(person))
    if changed:
        return t.gettext("▶️ Pulses are back on: you'll get the next one at your usual time.")
    return t.gettext("Your pulses weren't paused; nothing changed.")


def settings_modal(
    runtime: Runtime, client: WebClient, team_id: str, user_id: str
) -> dict[str, Any]:
    """The settings modal prefilled with what is in force for the person."""
    with runtime.transaction() as session:
        person = _person(session, client, team_id, user_id)
        config = effective_config(session, settings=runtime.settings, workspace=person.workspace)
        plan = plan_for(person, session.get(PulsePreference, person.id), config)
        return views.build_settings_modal(
            plan=plan,
            language=person.language,
            slack_language=language_for(person.slack_locale),
            t=translator(language_of(person)),
        )


def handle_pause_command(call: CommandCall) -> None:
    """`/cx pause DAYS`."""
    t = _translator(call.runtime, call.team_id, call.user_id)
    days = pulse_prefs.parse_pause_days(call.args, t)
    if isinstance(days, str):
        call.ack(response_type="ephemeral", text=days)
        return
    text = pause_message(call.runtime, call.client, call.team_id, call.user_id, days)
    call.ack(response_type="ephemeral", text=text)
    _refresh_home(call.client, call.runtime, call.home, call.team_id, call.user_id)


def handle_resume_command(call: CommandCall) -> None:
    """`/cx resume`."""
    text = resume_message(call.runtime, call.client, call.team_id, call.user_id)
    call.ack(response_type="ephemeral", text=text)
    _refresh_home(call.client, call.runtime, call.home, call.team_id, call.user_id)


def handle_settings_command(call: CommandCall) -> None:
    """`/cx settings`: open the settings modal."""
    call.ack()
    view = settings_modal(call.runtime, call.client, call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def handle_forget_command(call: CommandCall) -> None:
    """`/cx forget-me`: open the confirmation modal."""
    call.ack()
    t = _translator(call.runtime, call.team_id, call.user_id)
    call.client.views_open(trigger_id=call.trigger_id, view=views.build_forget_modal(t))


def _selected(values: dict[str, Any], block: str, action: str) -> list[str]:
    entry = values.get(block, {}).get(action, {}) or {}
    return [o["value"] for o in entry.get("selected_options") or []]


def parse_settings(view: dict[str, Any]) -> pulse_prefs.SettingsForm:
    """The settings modal's state as a form."""
    values = view["state"]["values"]
    raw_time = values.get(ids.PULSE_SETTINGS_TIME_BLOCK, {}).get(ids.PULSE_SETTINGS_TIME) or {}
    days = _selected(values, ids.PULSE_SETTINGS_DAYS_BLOCK, ids.PULSE_SETTINGS_DAYS)
    opt_out = _selected(values, ids.PULSE_SETTINGS_OPT_OUT_BLOCK, ids.PULSE_SETTINGS_OPT_OUT)
    language = values.get(ids.PULSE_SETTINGS_LANGUAGE_BLOCK, {}).get(ids.PULSE_SETTINGS_LANGUAGE)
    chosen = ((language or {}).get("selected_option") or {}).get("value") or views.FOLLOW_SLACK
    return pulse_prefs.SettingsForm(
        pulse_time=views.parse_time(raw_time.get("selected_time")),
        working_days=parse_working_days(",".join(days), ()),
        opted_out=bool(opt_out),
        language=None if chosen == views.FOLLOW_SLACK else str(chosen),
    )


def handle_settings_submit(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    runtime: Runtime,
    home: HomeSections,
) -> None:
    """Save settings, or show inline errors (no time, no working days)."""
    form = parse_settings(view)
    team_id, user_id = _team_user(body)
    errors = pulse_prefs.settings_errors(form, _translator(runtime, team_id, user_id))
    if errors:
        blocks = {
            "pulse_time": ids.PULSE_SETTINGS_TIME_BLOCK,
            "working_days": ids.PULSE_SETTINGS_DAYS_BLOCK,
            "language": ids.PULSE_SETTINGS_LANGUAGE_BLOCK,
        }
        ack(response_action="errors", errors={blocks[k]: v for k, v in errors.items()})
        return
    with runtime.transaction() as session:
        person = _person(session, client, team_id, user_id)
        pulse_prefs.save_settings(session, person=person, form=form, now=runtime.now())
    ack()
    _refresh_home(client, runtime, home, team_id, user_id)


def handle_pause_submit(
    ack: Ack,
    body: dict[str, Any],
    view: dict[str, Any],
    client: WebClient,
    runtime: Runtime,
    home: HomeSections,
) -> None:
    """Pause from the App Home modal, or show an inline error."""
    entry = view["state"]["values"].get(ids.PULSE_PAUSE_BLOCK, {}).get(ids.PULSE_PAUSE_DAYS) or {}
    team_id, user_id = _team_user(body)
    t = _translator(runtime, team_id, user_id)
    days = pulse_prefs.parse_pause_days(str(entry.get("value") or ""), t)
    if isinstance(days, str):
        problem = t.gettext("Pick 1 to %(max)s days.", max=pulse_prefs.MAX_PAUSE_DAYS)
        ack(response_action="errors", errors={ids.PULSE_PAUSE_BLOCK: problem})
        return
    pause_message(runtime, client, team_id, user_id, days)
    ack()
    _refresh_home(client, runtime, home, team_id, user_id)


def handle_forget_submit(
    ack: Ack, body: dict[str, Any], client: WebClient, runtime: Runtime, home: HomeSections
) -> None:
    """Forget the person; the modal turns into a summary of what was deleted."""
    team_id, user_id = _team_user(body)
    with runtime.transaction() as session:
        person = _person(session, client, team_id, user_id)
        now = runtime.now()
        report = pulse_prefs.forget_person(
            session,
            secret=runtime.settings.cxpulse_secret or "",
            team_id=team_id,
            person=person,
            today=local_date(now, person.tz or "UTC"),
            now=now,
        )
        t = translator(language_of(person))
    ack(response_action="update", view=views.build_forget_done_modal(report, t))
    _refresh_home(client, runtime, home, team_id, user_id)


def home_section(session: Session, runtime: Runtime, request: HomeRequest) -> list[dict[str, Any]]:
    """The viewer's own pulse on App Home (nothing for someone not yet synced)."""
    person = find_person(session, slack_team_id=request.team_id, slack_user_id=request.user_id)
    if person is None:
        return []
    summary = pulse_summary(
        session,
        secret=runtime.settings.cxpulse_secret or "",
        team_id=request.team_id,
        person=person,
        config=effective_config(session, settings=runtime.settings, workspace=person.workspace),
        now=runtime.now(),
    )
    return views.build_home_section(
        plan=summary.plan,
        scores=summary.scores,
        pulse_days=summary.pulse_days,
        streak=summary.streak,
        today=summary.today,
        next_at=summary.next_at,
        t=translator(language_of(person)),
    )


def handle_pause_button(
    ack: Ack, body: dict[str, Any], client: WebClient, runtime: Runtime
) -> None:
    """App Home "Pause": open the pause modal."""
    ack()
    t = _translator(runtime, *_team_user(body))
    client.views_open(trigger_id=body["trigger_id"], view=views.build_pause_modal(t))


def handle_resume_button(
    ack: Ack, body: dict[str, Any], client: WebClient, runtime: Runtime, home: HomeSections
) -> None:
    """App Home "Resume": resume, then show it on the Home."""
    ack()
    resume_message(runtime, client, *_team_user(body))
    _refresh_home(client, runtime, home, *_team_user(body))


def handle_settings_button(
    ack: Ack, body: dict[str, Any], client: WebClient, runtime: Runtime
) -> None:
    """App Home "Settings": open the settings modal."""
    ack()
    view = settings_modal(runtime, client, *_team_user(body))
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_forget_button(
    ack: Ack, body: dict[str, Any], client: WebClient, runtime: Runtime
) -> None:
    """App Home "Forget me": open the confirmation modal."""
    ack()
    t = _translator(runtime, *_team_user(body))
    client.views_open(trigger_id=body["trigger_id"], view=views.build_forget_modal(t))
