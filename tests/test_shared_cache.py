"""The app tier keeps no state of its own: with CACHE_URL pointing at Redis, a throttle counted in one process is
seen by another (two app servers behind one address count together)."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.core.exceptions import ImproperlyConfigured

from sco_claims.settings import cache_from_environment

ROOT = Path(__file__).resolve().parent.parent
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A database number of its own, and a key prefix per test run, so tests never touch anyone else's keys.
REDIS_TEST_DB = 13

# One process's view of the token endpoint's throttle: ask it COUNT times from one address, print each answer.
THROTTLE_SCRIPT = """
import sys
import django
django.setup()
from django.test import RequestFactory
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from annotations.api.views import TokenView

view = TokenView()
for _ in range(int(sys.argv[1])):
    request = Request(RequestFactory().post("/api/v1/auth/token/", REMOTE_ADDR="203.0.113.7"))
    print("allowed" if ScopedRateThrottle().allow_request(request, view) else "refused")
"""


def redis_is_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


def test_without_cache_url_the_cache_is_a_local_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("CACHE_URL", raising=False)
    monkeypatch.setenv("DJANGO_CACHE_DIR", str(tmp_path))
    config = cache_from_environment()
    assert config == {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}


def test_cache_url_names_one_or_several_redis_servers(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "redis://cache-a:6379/0, redis://cache-b:6379/0")
    monkeypatch.setenv("DJANGO_CACHE_KEY_PREFIX", "claims")
    config = cache_from_environment()
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == ["redis://cache-a:6379/0", "redis://cache-b:6379/0"]
    assert config["KEY_PREFIX"] == "claims"


def test_a_cache_url_that_is_not_redis_is_refused(monkeypatch):
    monkeypatch.setenv("CACHE_URL", "memcached://cache:11211")
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_from_environment()


def ask_token_throttle(times: int, environment: dict) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", THROTTLE_SCRIPT, str(times)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


@pytest.mark.skipif(
    not redis_is_reachable(), reason=f"no Redis server at {REDIS_HOST}:{REDIS_PORT} (.ci/run starts one)"
)
def test_a_throttle_counted_in_one_process_is_seen_by_another_through_redis():
    prefix = f"sco-test-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sco_claims.settings",
        "DJANGO_SECRET_KEY": "a-test-key-" + "x" * 50,
        "DJANGO_TOKEN_THROTTLE_RATE": "3/minute",
        "CACHE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}",
        "DJANGO_CACHE_KEY_PREFIX": prefix,
    }
    server = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_TEST_DB)
    try:
        assert ask_token_throttle(3, environment) == ["allowed"] * 3  # one app server uses up the address's rate
        assert ask_token_throttle(1, environment) == ["refused"]  # another app server sees that count
        assert server.keys(f"{prefix}:*")  # and the count is in Redis, not in a folder both happen to share
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
        server.close()


# One process's view of a paper's reader stamp (annotations/reader_cache.py), after bumping it with "bump".
STAMP_SCRIPT = """
import sys
import django
django.setup()
from annotations import reader_cache
if sys.argv[1] == "bump":
    reader_cache.claims_changed(papers=[7])
print(reader_cache._stamps(["reader-stamp:paper:7"])[0])
"""


@pytest.mark.skipif(
    not redis_is_reachable(), reason=f"no Redis server at {REDIS_HOST}:{REDIS_PORT} (.ci/run starts one)"
)
def test_a_write_in_one_process_retires_the_reader_data_every_process_reads_through_redis():
    prefix = f"sco-test-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sco_claims.settings",
        "DJANGO_SECRET_KEY": "a-test-key-" + "x" * 50,
        "CACHE_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}",
        "DJANGO_CACHE_KEY_PREFIX": prefix,
    }

    def stamp(action: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", STAMP_SCRIPT, action],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.split()[-1]

    server = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_TEST_DB)
    try:
        first = stamp("read")
        assert stamp("read") == first  # another app server reads the same stamp, so the same cached data
        bumped = stamp("bump")  # a write on a third one
        assert bumped != first
        assert stamp("read") == bumped  # every server now looks under the new stamp
    finally:
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)
        server.close()
