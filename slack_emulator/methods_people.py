"""Methods about the workspace and its people: auth, team, users, usergroups, OAuth."""

from __future__ import annotations

from typing import Any

from slack_emulator.registry import (
    Context,
    SlackError,
    decode_cursor,
    encode_cursor,
    handler,
    int_arg,
    truthy,
    user_or_fail,
)

_USERS_LIMIT_MAX = 1000
BOT_SCOPES = (
    "commands,chat:write,chat:write.public,im:write,users:read,users:read.email,"
    "usergroups:read,files:read,files:write,reactions:write,channels:join,channels:read,team:read"
)


@handler("auth.test")
def auth_test(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Describe the token's workspace and bot user."""
    ws = ctx.ws
    bot = ws.users[ws.bot_user_id]
    answer: dict[str, Any] = {
        "url": f"https://{ws.domain}.slack.com/",
        "team": ws.name,
        "user": bot.name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ctx.app_id,
        "is_enterprise_install": ws.is_enterprise_install,
    }
    if ws.enterprise_id is not None:
        answer["enterprise_id"] = ws.enterprise_id
    return answer


@handler("team.info")
def team_info(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Describe the workspace (or another installed one named by `team`)."""
    ws = ctx.state.workspaces.get(str(args["team"])) if args.get("team") else ctx.ws
    if ws is None:
        raise SlackError("team_not_found")
    team: dict[str, Any] = {
        "id": ws.team_id,
        "name": ws.name,
        "domain": ws.domain,
        "email_domain": "",
        "icon": {"image_default": True},
    }
    if ws.enterprise_id is not None:
        team["enterprise_id"] = ws.enterprise_id
    return {"team": team}


@handler("users.list")
def users_list(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """List members, paginated by cursor when `limit` is given."""
    users = list(ctx.ws.users.values())
    limit = min(int_arg(args, "limit", 0), _USERS_LIMIT_MAX)
    start = 0
    if args.get("cursor"):
        after = decode_cursor(str(args["cursor"]), "user")
        ids = [u.id for u in users]
        if after not in ids:
            raise SlackError("invalid_cursor")
        start = ids.index(after)
    # Slack answers everything in one page when no limit is asked for.
    page = users[start : start + limit] if limit > 0 else users[start:]
    end = start + len(page)
    next_cursor = encode_cursor("user", users[end].id) if end < len(users) else ""
    return {
        "members": [u.to_api(include_locale=_wants_locale(args)) for u in page],
        "cache_ts": 1700000000,
        "response_metadata": {"next_cursor": next_cursor},
    }


@handler("users.info")
def users_info(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Describe one member."""
    user = user_or_fail(ctx.ws, args.get("user"))
    return {"user": user.to_api(include_locale=_wants_locale(args))}


def _wants_locale(args: dict[str, Any]) -> bool:
    """Slack's boolean arguments arrive as "true"/"1" (form) or true (JSON)."""
    return str(args.get("include_locale", "")).lower() in ("true", "1")


@handler("users.profile.get")
def users_profile_get(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Return a member's profile (the bot's own without `user`)."""
    user = user_or_fail(ctx.ws, args.get("user") or ctx.ws.bot_user_id)
    profile: dict[str, Any] = user.to_api()["profile"]
    return {"profile": profile}


def _usergroup(group: dict[str, Any], include_users: bool) -> dict[str, Any]:
    """Render a usergroup as usergroups.list shows it."""
    shown = {k: v for k, v in group.items() if k != "users"}
    shown["user_count"] = len(group["users"])
    if include_users:
        shown["users"] = list(group["users"])
    return shown


@handler("usergroups.list")
def usergroups_list(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """List the workspace's user groups."""
    include_disabled = truthy(args.get("include_disabled"))
    include_users = truthy(args.get("include_users"))
    groups = [
        _usergroup(g, include_users)
        for g in ctx.ws.usergroups.values()
        if include_disabled or not g["date_delete"]
    ]
    return {"usergroups": groups}


@handler("usergroups.users.list")
def usergroups_users_list(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """List a user group's members."""
    group = ctx.ws.usergroups.get(str(args["usergroup"]))
    if group is None:
        raise SlackError("no_such_subteam")
    if group["date_delete"] and not truthy(args.get("include_disabled")):
        raise SlackError("no_such_subteam")
    return {"users": list(group["users"])}


def _check_client(ctx: Context, args: dict[str, Any]) -> None:
    """Refuse the call unless it names this app's client id and secret, in Basic auth
    (as slack_sdk sends them) or in the parameters, as Slack does."""
    client_id, client_secret = ctx.basic_auth or (
        str(args.get("client_id") or ""),
        str(args.get("client_secret") or ""),
    )
    if client_id != ctx.client_id:
        raise SlackError("invalid_client_id")
    if client_secret != ctx.client_secret:
        raise SlackError("bad_client_secret")


@handler("oauth.v2.access")
def oauth_v2_access(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Exchange an OAuth code registered with `add_oauth_code` for an installation."""
    _check_client(ctx, args)
    grant = ctx.state.oauth_codes.get(str(args["code"]))
    if grant is None or grant.used:
        raise SlackError("invalid_code")
    grant.used = True
    ws = ctx.state.workspaces[grant.team_id]
    ws.installed = True
    ctx.state.tokens[ws.bot_token] = ws.team_id
    ctx.state.revoked_tokens.discard(ws.bot_token)
    enterprise = None
    if ws.enterprise_id is not None:
        enterprise = {"id": ws.enterprise_id, "name": f"{ws.name} Enterprise"}
    return {
        "app_id": ctx.app_id,
        "authed_user": {"id": grant.installer_user_id},
        "scope": BOT_SCOPES,
        "token_type": "bot",
        "access_token": ws.bot_token,
        "bot_user_id": ws.bot_user_id,
        "team": None if ws.is_enterprise_install else {"id": ws.team_id, "name": ws.name},
        "enterprise": enterprise,
        "is_enterprise_install": ws.is_enterprise_install,
    }


@handler("apps.uninstall")
def apps_uninstall(ctx: Context, args: dict[str, Any]) -> dict[str, Any]:
    """Uninstall the app from the token's workspace; its token stops working."""
    _check_client(ctx, args)
    ws = ctx.ws
    ws.installed = False
    ctx.state.tokens.pop(ws.bot_token, None)
    ctx.state.revoked_tokens.add(ws.bot_token)
    return {}
