"""The weekly digest: posted to digest channels, previewed with `/cx digest`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.i18n import N_

if TYPE_CHECKING:
    from bot.core.features import Parts


def register(parts: Parts) -> None:
    """Add `/cx digest`, the lead's weekly figures on App Home, and the digest job."""
    from bot.core.gates import ephemeral, leads_only
    from bot.digest import jobs
    from handlers import digest

    parts.commands.add(
        "digest",
        digest.handle_digest_command,
        usage="digest [all]",
        summary=N_("preview the weekly digest for your team (leads)"),
        order=60,
        gate=leads_only(ephemeral(digest.NOT_A_LEAD)),
    )
    parts.home.add(50, digest.lead_home_section)
    parts.jobs.add(jobs.send_digests)
