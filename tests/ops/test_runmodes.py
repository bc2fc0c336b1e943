"""The long-running modes refuse a port they cannot listen on with a clear message."""

from __future__ import annotations

import socket

import pytest

from bot import runmodes
from bot.config import ConfigError
from bot.demo.processes import new_emulator, sandbox_settings


@pytest.mark.parametrize("mode", ["serve", "start"])
def test_a_port_in_use_is_a_config_error_naming_it(db_url: str, mode: str) -> None:
    emulator = new_emulator()
    try:
        settings = sandbox_settings(emulator, db_url, slack_app_token=emulator.app_token)
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = int(taken.getsockname()[1])
            if mode == "serve":
                run = lambda: runmodes.serve(settings, "127.0.0.1", port, scheduler=False)  # noqa: E731
            else:
                run = lambda: runmodes.socket_mode(settings, "127.0.0.1", port)  # noqa: E731
            with pytest.raises(ConfigError, match=rf"cannot listen on 127\.0\.0\.1:{port} \("):
                run()
    finally:
        emulator.stop()
