"""`slack_file` references in image blocks, checked against the files this workspace holds."""

from __future__ import annotations

from typing import Any

from slack_emulator.blocks import FileCheck
from slack_emulator.registry import Context

# Slack shows only these uploaded image types through `slack_file`.
IMAGE_TYPES = ("png", "jpg", "jpeg", "gif")


def slack_file_checker(ctx: Context) -> FileCheck:
    """A check of one `slack_file` object: None when Slack would show it, else why not."""

    def check(ref: dict[str, Any]) -> str | None:
        file_id, url = ref.get("id"), ref.get("url")
        if bool(file_id) == bool(url):
            return "must provide exactly one of id or url"
        if url:
            found = next(
                (
                    f
                    for f in ctx.state.files.values()
                    if str(url).endswith(f"-{f.id}/{f.filename}") or str(url).endswith(f"/{f.id}")
                ),
                None,
            )
        else:
            found = ctx.state.files.get(str(file_id))
        # The app can see its own uploads; another workspace's file, or one never
        # completed, is as good as missing.
        if found is None or found.team_id != ctx.ws.team_id or not found.completed:
            return "invalid slack_file: file not found"
        if found.filename.rsplit(".", 1)[-1].lower() not in IMAGE_TYPES:
            return "invalid slack_file: not a png, jpg, jpeg or gif image"
        return None

    return check
