"""Settings from the environment; SQLite set up for several writers; production settings pass check --deploy."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db.backends.sqlite3.base import DatabaseWrapper

from sco_claims.settings import database_from_environment

ROOT = Path(__file__).resolve().parent.parent


def sqlite_connection(path: Path) -> DatabaseWrapper:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    try:
        config = database_from_environment()
    finally:
        del os.environ["DATABASE_URL"]
    config |= {"TIME_ZONE": None, "ATOMIC_REQUESTS": False, "AUTOCOMMIT": True, "TEST": {}}
    return DatabaseWrapper(config, alias=f"sqlite-{threading.get_ident()}")


@pytest.fixture
def raw_connections(django_db_blocker):
    """These tests open their own SQLite files, outside the test database."""
    with django_db_blocker.unblock():
        yield


def test_postgres_url_is_used(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example:5432/claims")
    config = database_from_environment()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "claims"


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path, raw_connections):
    connection = sqlite_connection(tmp_path / "db.sqlite3")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 5000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    connection.close()


def test_a_second_sqlite_writer_waits_instead_of_failing(tmp_path, raw_connections):
    path = tmp_path / "db.sqlite3"
    setup = sqlite_connection(path)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE t (n INTEGER)")
    setup.close()
    first_has_lock = threading.Event()
    errors: list[Exception] = []

    def first_writer():
        connection = sqlite_connection(path)
        try:
            with connection.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("INSERT INTO t VALUES (1)")
                first_has_lock.set()
                threading.Event().wait(0.5)  # hold the write lock while the second writer starts
                cursor.execute("COMMIT")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second_writer():
        first_has_lock.wait()
        connection = sqlite_connection(path)
        try:
            with connection.cursor() as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.execute("INSERT INTO t VALUES (2)")
                cursor.execute("COMMIT")
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = sqlite_connection(path)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM t ORDER BY n")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]
    check.close()


def test_production_settings_pass_check_deploy(tmp_path):
    # Browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment would not.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "sco_claims.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
        "DJANGO_ALLOWED_HOSTS": "claims.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_is_refused(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "perhaps", "DJANGO_SETTINGS_MODULE": "sco_claims.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("debug", ["1", "0"])
def test_a_secret_key_is_kept_in_a_local_file_when_none_is_given(tmp_path, debug):
    key_file = tmp_path / "secret"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env |= {"DJANGO_SECRET_KEY_FILE": str(key_file), "DJANGO_DEBUG": debug}
    code = "import sco_claims.settings as s; print(s.SECRET_KEY)"
    first = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_processes_started_together_on_a_fresh_directory_share_one_secret_key(tmp_path):
    """Twenty processes wait for one signal, then all read their settings at once: one key file, one key."""
    key_file = tmp_path / "fresh" / ".django_secret_key"
    key_file.parent.mkdir()
    go = tmp_path / "go"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env |= {"DJANGO_SECRET_KEY_FILE": str(key_file)}
    code = (
        "import os, time\n"
        f"while not os.path.exists({str(go)!r}): time.sleep(0.001)\n"
        "import sco_claims.settings as s; print(s.SECRET_KEY)"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(20)
    ]
    go.touch()
    keys = [process.communicate(timeout=120)[0].strip() for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert len(set(keys)) == 1
    assert len(keys[0]) >= 50
    assert key_file.read_text() == keys[0]
    assert sorted(path.name for path in key_file.parent.iterdir()) == [".django_secret_key"]  # no leftovers
