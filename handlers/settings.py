"""`/cx pause|resume|settings|forget-me`, their App Home buttons and modals, the Home section."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core import ids
from bot.core.context import RequestContext, context_for
from bot.core.features import HomeRequest, HomeSections
from bot.core.i18n import language_for, translator
from bot.core.router import CommandCall
from bot.home.delivery import publish_home
from bot.home.store import pulse_summary
from bot.pulse.schedule import local_date, plan_for
from bot.runtime import Runtime
from bot.settings import home_views, store, views
from bot.workspace.store import language_of
from models import PulsePreference

logger = logging.getLogger(__name__)
HOME_ORDER = 10


def _refresh_home(client: WebClient, cx: RequestContext, home: HomeSections) -> None:
    try:
        request = HomeRequest(team_id=cx.team_id, user_id=cx.user_id)
        publish_home(client, cx.runtime, home, request)
    except Exception:
        logger.exception("re-publishing App Home failed")


def pause_message(cx: RequestContext, days: int) -> str:
    """Pause the person for ``days`` days; the confirmation text."""
    now = cx.runtime.now()
    with cx.runtime.transaction() as session:
        person = cx.person_in(session)
        until = store.pause(
            session, person=person, days=days, today=local_date(now, person.tz), now=now
        )
        t = translator(language_of(person))
    return views.paused_text(until, t)


def resume_message(cx: RequestContext) -> str:
    """Resume pulses; the confirmation text."""
    with cx.runtime.transaction() as session:
        person = cx.person_in(session)
        changed = store.resume(session, person=person, now=cx.runtime.now())
        t = translator(language_of(person))
    return views.resumed_text(changed, t)


def settings_modal(cx: RequestContext) -> dict[str, Any]:
    """The settings modal prefilled with what is in force for the person."""
    with cx.runtime.transaction() as session:
        person = cx.person_in(session)
        plan = plan_for(person, session.get(PulsePreference, person.id), cx.config)
        return views.build_settings_modal(
            plan=plan,
            language=person.language,
            slack_language=language_for(person.slack_locale),
            t=translator(language_of(person)),
        )


def handle_pause_command(call: CommandCall) -> None:
    """`/cx pause DAYS`."""
    days = store.parse_pause_days(call.args, call.cx.translator)
    if isinstance(days, str):
        call.ack(response_type="ephemeral", text=days)
        return
    call.ack(response_type="ephemeral", text=pause_message(call.cx, days))
    _refresh_home(call.client, call.cx, call.home)


def handle_resume_command(call: CommandCall) -> None:
    """`/cx resume`."""
    call.ack(response_type="ephemeral", text=resume_message(call.cx))
    _refresh_home(call.client, call.cx, call.home)


def handle_settings_command(call: CommandCall) -> None:
    """`/cx settings`: open the settings modal."""
    call.ack()
    call.client.views_open(trigger_id=call.trigger_id, view=settings_modal(call.cx))


def handle_forget_command(call: CommandCall) -> None:
    """`/cx forget-me`: open the confirmation modal."""
    call.ack()
    view = views.build_forget_modal(call.cx.translator)
    call.client.views_open(trigger_id=call.trigger_id, view=view)


def handle_settings_submit(
    ack: Ack, view: dict[str, Any], client: WebClient, cx: RequestContext, home: HomeSections
) -> None:
    """Save settings, or show inline errors (no time, no working days)."""
    form = views.parse_settings(view)
    errors = store.settings_errors(form, cx.translator)
    if errors:
        blocks = views.SETTINGS_ERROR_BLOCKS
        cx.keep_open(ack, {blocks[k]: v for k, v in errors.items()})
        return
    with cx.runtime.transaction() as session:
        person = cx.person_in(session)
        store.save_settings(session, person=person, form=form, now=cx.runtime.now())
    cx.language_changed()
    ack()
    _refresh_home(client, cx, home)


def handle_pause_submit(
    ack: Ack, view: dict[str, Any], client: WebClient, cx: RequestContext, home: HomeSections
) -> None:
    """Pause from the App Home modal, or show an inline error."""
    typed = views.read_pause_days(view)
    t = cx.translator
    days = store.parse_pause_days(typed, t)
    if isinstance(days, str):
        problem = t.gettext("Pick 1 to %(max)s days.", max=store.MAX_PAUSE_DAYS)
        cx.keep_open(ack, {ids.PULSE_PAUSE_BLOCK: problem})
        return
    pause_message(cx, days)
    ack()
    _refresh_home(client, cx, home)


def handle_forget_submit(
    ack: Ack, client: WebClient, cx: RequestContext, home: HomeSections
) -> None:
    """Forget the person; the modal turns into a summary of what was deleted."""
    with cx.runtime.transaction() as session:
        person = cx.person_in(session)
        now = cx.runtime.now()
        report = store.forget_person(
            session,
            secret=cx.runtime.settings.cxpulse_secret or "",
            team_id=cx.team_id,
            person=person,
            today=local_date(now, person.tz or "UTC"),
            now=now,
        )
        t = translator(language_of(person))
    ack(response_action="update", view=views.build_forget_done_modal(report, t))
    _refresh_home(client, cx, home)


def home_section(session: Session, runtime: Runtime, request: HomeRequest) -> list[dict[str, Any]]:
    """The viewer's own pulse on App Home (nothing for someone not yet synced)."""
    cx = context_for(runtime, team_id=request.team_id, user_id=request.user_id)
    person = cx.person
    if person is None:
        return []
    summary = pulse_summary(
        session,
        secret=runtime.settings.cxpulse_secret or "",
        team_id=request.team_id,
        person=person,
        config=cx.config,
        now=runtime.now(),
    )
    return home_views.build_home_section(
        plan=summary.plan,
        scores=summary.scores,
        pulse_days=summary.pulse_days,
        streak=summary.streak,
        today=summary.today,
        next_at=summary.next_at,
        t=translator(language_of(person)),
    )


def handle_pause_button(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """App Home "Pause": open the pause modal."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=views.build_pause_modal(cx.translator))


def handle_resume_button(
    ack: Ack, client: WebClient, cx: RequestContext, home: HomeSections
) -> None:
    """App Home "Resume": resume, then show it on the Home."""
    ack()
    resume_message(cx)
    _refresh_home(client, cx, home)


def handle_settings_button(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """App Home "Settings": open the settings modal."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=settings_modal(cx))


def handle_forget_button(
    ack: Ack, body: dict[str, Any], client: WebClient, cx: RequestContext
) -> None:
    """App Home "Forget me": open the confirmation modal."""
    ack()
    client.views_open(trigger_id=body["trigger_id"], view=views.build_forget_modal(cx.translator))
