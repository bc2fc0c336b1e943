"""Headless Chromium from Debian's packages, driven by Selenium (no browser download)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = ("chromium", "chromium-browser")


def _binary(names: tuple[str, ...]) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(
        f"{' or '.join(names)} not found: install Debian's chromium and chromium-driver "
        "(.ci/run does)"
    )


@contextmanager
def chromium(
    width: int = 1000, height: int = 900, *, language: str | None = None
) -> Iterator[webdriver.Chrome]:
    """A fresh headless Chromium with an empty profile, closed afterwards.

    ``language`` ("ja") is the browser's own language, so its Accept-Language, as a
    person who set up their browser in that language has it.
    """
    with tempfile.TemporaryDirectory(prefix="cxpulse-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = _binary(CHROMIUM)
        for flag in (
            "--headless=new",
            "--no-sandbox",  # we run as root in CI
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            # This machine's network is closed: no background calls home.
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
        ):
            options.add_argument(flag)
        if language:
            options.add_argument(f"--lang={language}")
            options.add_experimental_option("prefs", {"intl.accept_languages": language})
        driver = webdriver.Chrome(
            service=Service(executable_path=_binary(("chromedriver",))), options=options
        )
        try:
            yield driver
        finally:
            driver.quit()
