"""Debian's chromium as the app's browser tests and benchmarks start it: where it is and its
flags, in one place (tests/test_app_e2e.py and experiments/bench/app_browser.py). Playwright
drives it through ``executable_path``: the system browser, never a downloaded one."""

from __future__ import annotations

import os
import shutil

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_path() -> str | None:
    """Debian's chromium binary, if installed."""
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None
