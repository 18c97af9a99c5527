"""What the benches share: result rows, throwaway databases, a gunicorn server on a free loopback port.

Everything here talks only to 127.0.0.1, and every wait is bounded.
"""

import itertools
import json
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


@dataclass
class Row:
    """One figure of one bench: printed as a line of the table."""

    bench: str
    figure: str
    value: float | int | str | None
    unit: str = ""
    note: str = ""


def child_json(module: str, *args: str, timeout: float = 1800) -> dict:
    """Run `python -m MODULE ARGS` against a fresh SQLite file (test settings: fast hashing, plain static
    files) in its own process, so that each bench sets Django up once; its last stdout line is JSON.

    The child and what it starts (a server thread, Chromium) are killed as a group if it overruns `timeout`.
    """
    with sqlite_database() as (database_url, workdir):
        env = {**server_env(database_url, workdir), "DJANGO_SETTINGS_MODULE": "sco_claims.settings_test"}
        env["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
        process = subprocess.Popen(
            [PYTHON, "-m", module, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise RuntimeError(f"{module} did not finish within {timeout:.0f} s") from None
        if process.returncode != 0:
            raise RuntimeError(f"{module} failed:\n{stderr[-3000:]}")
        return json.loads(stdout.strip().splitlines()[-1])


def django_child() -> None:
    """In a bench's child process: set Django up on the database `child_json` gave it."""
    import warnings

    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def child_main(doc: str, measure, **defaults: int) -> None:
    """A bench's `__main__`: options named after `defaults`, Django set up, `measure(**options)` printed as JSON."""
    import argparse

    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=type(default), default=default)
    options = vars(parser.parse_args())
    django_child()
    print(json.dumps(measure(**options)))


@contextmanager
def browser_page(username: str, password: str, viewport: tuple[int, int] = (1280, 900)):
    """Headless Chromium (the e2e tests' binary and launch arguments), logged in through the login form of
    the app served from this process on a free loopback port: yields (page, base URL)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.test.testcases import LiveServerThread
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from chromium import LAUNCH_ARGS, require_chromium

    # The server thread shares the process with Playwright's sync API, whose event loop Django would refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    server = LiveServerThread("127.0.0.1", StaticFilesHandler, port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait(timeout=60)
    if server.error:
        raise server.error
    base = f"http://127.0.0.1:{server.port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=require_chromium(), headless=True, args=LAUNCH_ARGS)
            try:
                page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
                page.set_default_timeout(300_000)
                page.goto(f"{base}/accounts/login/")
                page.fill('input[name="username"]', username)
                page.fill('input[name="password"]', password)
                page.click('button[type="submit"]')
                page.wait_for_url(lambda url: "/login/" not in url)
                yield page, base
            finally:
                browser.close()
    finally:
        server.terminate()


def percentile(values: Sequence[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank), 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = math.ceil(fraction * len(ordered))
    return ordered[max(0, min(len(ordered), rank) - 1)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(database_url: str, workdir: Path) -> dict[str, str]:
    """Production settings (DEBUG off, manifest static files) minus HTTPS, which a loopback bench has not."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sco_claims.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECURE": "false",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CACHE_DIR": str(workdir / "cache"),
        "DJANGO_LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str, timeout: float = 600, tree: Path = ROOT) -> str:
    """Run `manage.py ARGS` with `env` (in `tree`, a checkout of the app); its stdout, or an error with its stderr."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=tree, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args[:1])} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def django_script(env: dict[str, str], code: str, timeout: float = 600, tree: Path = ROOT) -> object:
    """Run `code` in a Django shell with `env`; it must print one JSON document as its last line."""
    output = manage(env, "shell", "--no-imports", "-c", code, timeout=timeout, tree=tree)
    return json.loads(output.strip().splitlines()[-1])


@contextmanager
def sqlite_database() -> Iterator[tuple[str, Path]]:
    """A fresh SQLite file in a temporary folder: (DATABASE_URL, folder). Removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="sco-bench-"))
    try:
        yield f"sqlite:///{workdir / 'bench.sqlite3'}", workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def postgres_available() -> str | None:
    """PostgreSQL's server version, or None if it does not answer on 127.0.0.1."""
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:
        return None


_database_numbers = itertools.count()  # several throwaway databases of one process at once get distinct names


@contextmanager
def postgres_database() -> Iterator[tuple[str, Path]]:
    """A throwaway PostgreSQL database (and a temporary folder): (DATABASE_URL, folder). Dropped afterwards."""
    import psycopg

    name = f"sco_claims_bench_{os.getpid()}_{next(_database_numbers)}"
    workdir = Path(tempfile.mkdtemp(prefix="sco-bench-"))
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}", workdir
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(workdir, ignore_errors=True)


def prepare_database(env: dict[str, str], tree: Path = ROOT) -> None:
    """Migrate and load the shipped corpus and codebook, as a new instance would."""
    manage(env, "migrate", "--noinput", tree=tree)
    manage(env, "load_corpus", tree=tree)


@contextmanager
def gunicorn(env: dict[str, str], workers: int, workdir: Path, tree: Path = ROOT) -> Iterator[str]:
    """gunicorn serving the app (of `tree`) on a free loopback port with `workers` sync workers; yields its URL."""
    port = free_port()
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "sco_claims.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--timeout=120",
            "--graceful-timeout=10",
        ],
        cwd=tree,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, workdir / "gunicorn.log")
        yield base_url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def wait_until_up(base_url: str, process: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited early:\n{log_path.read_text()[-3000:]}")
        try:
            # The API answers 401 without a token: any answer means the workers are up. (The pages would
            # need collectstatic for the manifest storage; the API benches do not.)
            with urllib.request.urlopen(f"{base_url}/api/v1/papers/", timeout=2):
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                return
            raise RuntimeError(f"gunicorn answers {error.code}:\n{log_path.read_text()[-3000:]}") from error
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{log_path.read_text()[-3000:]}")


def server_errors_in_log(workdir: Path) -> list[str]:
    """Tracebacks and worker timeouts that gunicorn logged, to explain a failed request."""
    path = workdir / "gunicorn.log"
    if not path.exists():
        return []
    return [line for line in path.read_text().splitlines() if "Error" in line or "WORKER TIMEOUT" in line][:20]
