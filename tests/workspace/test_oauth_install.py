"""Multi-workspace: installs through Bolt's OAuth flow, side-by-side jobs, uninstall."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from models import Person, Workspace
from models.installations import BOTS_TABLE
from tests.support.oauth import install, oauth_stack
from tests.support.stack import SandboxStack


def _people(stack: SandboxStack) -> dict[str, set[str]]:
    with stack.runtime.sessions() as session:
        rows = session.execute(
            select(Workspace.slack_team_id, Person.slack_user_id).join(Person.workspace)
        ).all()
    found: dict[str, set[str]] = {}
    for team, user in rows:
        found.setdefault(team, set()).add(user)
    return found


def test_two_workspaces_installed_by_oauth_sync_side_by_side(db_url: str) -> None:
    with oauth_stack(db_url) as stack:
        token_a = install(stack, "TAAA", "Acme")
        token_b = install(stack, "TBBB", "Bolt Co")
        a = stack.emulator.add_user(name="amy", team_id="TAAA")["id"]
        b = stack.emulator.add_user(name="bob", team_id="TBBB")["id"]
        # The default sandbox workspace is not installed through OAuth: never visited.
        stack.emulator.add_user(name="zed")

        report = stack.run_job("sync-users")

        assert set(report) == {"TAAA", "TBBB"}
        people = _people(stack)
        assert people["TAAA"] - {"UBOTAAA"} >= {a}
        assert b not in people["TAAA"]
        assert b in people["TBBB"]
        assert a not in people["TBBB"]
        assert "T0SANDBOX" not in people
        lists = stack.emulator.calls_to("users.list")
        assert {c.team_id for c in lists} == {"TAAA", "TBBB"}
        with stack.runtime.sessions() as session:
            stored = set(session.execute(select(BOTS_TABLE.c.bot_token)).scalars())
        assert stored.isdisjoint({token_a, token_b})  # encrypted at rest
        assert stack.runtime.installations is not None
        tokens = {b.bot_token for b in stack.runtime.installations.installed_bots()}
        assert tokens == {token_a, token_b}
        # Each workspace's client is its own bot token.
        assert stack.runtime.clients.for_team("TAAA").token == token_a
        assert stack.runtime.clients.for_team("TBBB").token == token_b


def test_uninstall_stops_every_call_to_that_workspace(db_url: str) -> None:
    with oauth_stack(db_url) as stack:
        install(stack, "TAAA", "Acme")
        install(stack, "TBBB", "Bolt Co")
        stack.run_job("sync-users")

        reply = stack.actor.event({"type": "app_uninstalled"}, team_id="TBBB")
        assert reply.status == 200

        def gone() -> bool:
            with stack.runtime.sessions() as session:
                ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == "TBBB"))
                return ws is not None and not ws.active

        from tests.support.waiting import wait_until

        wait_until(gone, what="TBBB marked inactive")
        stack.emulator.reset_calls()
        report = stack.run_job("sync-users")
        assert set(report) == {"TAAA"}
        assert {c.team_id for c in stack.emulator.calls} == {"TAAA"}
        # Data is kept by default (CXPULSE_DELETE_ON_UNINSTALL unset).
        assert _people(stack)["TBBB"]
        # Installing again brings the workspace back.
        install(stack, "TBBB", "Bolt Co")
        assert set(stack.run_job("sync-users")) == {"TAAA", "TBBB"}


def test_tokens_revoked_with_delete_on_uninstall_deletes_the_data(db_url: str) -> None:
    with oauth_stack(db_url, delete_on_uninstall=True) as stack:
        install(stack, "TAAA", "Acme")
        install(stack, "TBBB", "Bolt Co")
        stack.emulator.add_user(name="bob", team_id="TBBB")
        stack.run_job("sync-users")
        event = {"type": "tokens_revoked", "tokens": {"bot": ["UBOTBBB"]}}
        assert stack.actor.event(event, team_id="TBBB").status == 200

        from tests.support.waiting import wait_until

        wait_until(lambda: "TBBB" not in _people(stack), what="TBBB's data deleted")
        stack.emulator.reset_calls()
        assert set(stack.run_job("sync-users")) == {"TAAA"}
        assert {c.team_id for c in stack.emulator.calls} == {"TAAA"}


def test_enterprise_org_install_serves_its_workspace(db_url: str) -> None:
    with oauth_stack(db_url) as stack:
        install(stack, "TORG", "Grid Workspace", enterprise_id="EGRID", org_wide=True)
        user = stack.emulator.add_user(name="gina", team_id="TORG")["id"]

        report = stack.run_job("sync-users")

        assert set(report) == {"TORG"}
        assert user in _people(stack)["TORG"]
        with stack.runtime.sessions() as session:
            ws = session.scalar(select(Workspace).where(Workspace.slack_team_id == "TORG"))
            assert ws is not None
            assert ws.enterprise_id == "EGRID"
        # Requests from the org's workspace are authorized with the org install's token.
        answer = stack.actor.slash_command(user, "help", team_id="TORG")
        assert answer.status == 200
        assert "CX Pulse" in answer.body
        assert (
            stack.runtime.clients.for_team("TORG").token
            == stack.emulator.workspace("TORG").bot_token
        )


def test_a_lead_of_one_workspace_never_sees_the_others_notes(db_url: str) -> None:
    from bot.admin.store import AdminForm, save_admin_choices, validate_admin_form
    from bot.workspace.store import ensure_workspace
    from tests.support.seeding import newest_closed_week, seed_week
    from tests.support.waiting import wait_until

    with oauth_stack(db_url) as stack:
        install(stack, "TAAA", "Acme")
        install(stack, "TBBB", "Bolt Co")
        lead = stack.emulator.add_user(name="lead", team_id="TAAA")["id"]
        staff = {
            # Six writers: the lead answers pulses too (one writer more than the threshold).
            team: [stack.emulator.add_user(name=f"s{i}", team_id=team)["id"] for i in range(6)]
            for team in ("TAAA", "TBBB")
        }
        stack.run_job("sync-users")
        week = newest_closed_week(stack)
        secret = stack.settings.cxpulse_secret or ""
        with stack.runtime.transaction() as session:
            for team, users in staff.items():
                note = {u: f"note from {team}" for u in users}  # six writers
                seed_week(
                    session, secret=secret, team_id=team, users=users, week_start=week, notes=note
                )
            # Leads are per workspace: only Acme names this lead.
            choices, _ = validate_admin_form(
                AdminForm(
                    lead_users=[lead],
                    pulse_time="10:00",
                    working_days=["0"],
                    anonymity_threshold="5",
                    company_values="#care",
                )
            )
            assert choices is not None
            ws = ensure_workspace(session, slack_team_id="TAAA")
            save_admin_choices(session, workspace=ws, choices=choices, user_id="UADMIN")

        stack.actor.slash_command(lead, "notes", team_id="TAAA")
        listing = wait_until(lambda: stack.emulator.ephemerals, what="notes")[-1]
        assert "note from TAAA" in str(listing)
        assert "TBBB" not in str(listing)
        # The same person id in the other workspace is not a lead there.
        stack.actor.slash_command(lead, "notes", team_id="TBBB")
        other = wait_until(lambda: stack.emulator.ephemerals[1:], what="refusal")[-1]
        assert "for leads" in other["text"]
        # A lead of Bolt Co replaying Acme's Reply button (a forged payload) gets no modal.
        with stack.runtime.transaction() as session:
            ws_b = ensure_workspace(session, slack_team_id="TBBB")
            b_lead = staff["TBBB"][1]
            save_admin_choices(
                session, workspace=ws_b, choices=replace(choices, leads=(b_lead,)), user_id="U1"
            )
        from bot.core import ids

        stack.actor.click(b_lead, message=listing, action_id=ids.NOTE_REPLY, team_id="TBBB")
        gone = wait_until(lambda: stack.emulator.ephemerals[2:], what="the answer")[-1]
        assert "no longer available" in gone["text"]
        assert stack.emulator.calls_to("views.open") == []
