"""Find the browser for the e2e tests: Debian's Chromium. Missing, it skips locally and fails in CI."""

import os
from pathlib import Path

import pytest

DEFAULT_PATH = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = "install it with `apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH)"


def in_ci(environ=os.environ) -> bool:
    return environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def require_chromium(environ=os.environ) -> str:
    """The browser's path; without one, a skip with the fix to apply, or a failure under CI=true."""
    path = environ.get("CHROMIUM_PATH") or DEFAULT_PATH
    problem = None
    if not Path(path).is_file() or not os.access(path, os.X_OK):
        problem = f"Chromium not found at {path}: {INSTALL_HINT}."
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is missing: pip install -r requirements-dev.txt."
    if problem is None:
        return path
    if in_ci(environ):
        pytest.fail(f"Browser tests cannot run in CI: {problem}", pytrace=False)
    pytest.skip(f"Browser tests skipped: {problem}")
