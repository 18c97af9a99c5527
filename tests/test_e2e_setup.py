"""The browser tests' own set-up: a missing Chromium skips them locally and fails them in CI."""

import sys

import pytest

from tests.e2e.chromium import require_chromium


def test_missing_browser_fails_in_ci(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="cannot run in CI: Chromium not found"):
        require_chromium({"CI": "true", "CHROMIUM_PATH": str(tmp_path / "chromium")})


def test_missing_browser_skips_locally_with_the_fix(tmp_path):
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install -y chromium"):
        require_chromium({"CHROMIUM_PATH": str(tmp_path / "chromium")})


def test_a_present_browser_is_used(tmp_path):
    assert require_chromium({"CI": "true", "CHROMIUM_PATH": sys.executable}) == sys.executable
