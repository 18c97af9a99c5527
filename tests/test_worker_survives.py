"""A real gunicorn worker survives exports of text holding control characters (stored before input refused them).

The discourse-network GraphML used to be written by a library writer holding native (libxml2) state; a control
character made it fail half-way, and the half-built writer, collected during a later request, killed the worker
with SIGSEGV. Everything runs against 127.0.0.1 with bounded waits.
"""

import os
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.common import PYTHON, ROOT, django_script, free_port, manage, server_env, sqlite_database, wait_until_up

HOSTILE = "".join(chr(code) for code in [*range(0x01, 0x09), *range(0x0E, 0x1C)])

SEED = """
import json
from rest_framework.authtoken.models import Token
from annotations.models import Author, Claim, Paper, PaperAuthor, Status, Tag, User

hostile = {hostile!r}
user = User.objects.create(username="mo", is_superuser=True, is_staff=True)
# Written straight through the ORM: every input path now refuses these characters.
paper = Paper.objects.create(slug="hostile", title="Title" + hostile, text="The SCO is not an alliance." + hostile)
author = Author.objects.create(name="Author" + hostile)
PaperAuthor.objects.create(paper=paper, author=author, position=1)
tag = Tag.objects.create(slug="not-an-alliance", name="Not" + hostile)
for stance, speaker in (("affirms", "Speaker" + hostile), ("denies", "Other" + hostile), ("affirms", "")):
    claim = Claim.objects.create(
        paper=paper, start=0, end=7, exact="The SCO", statement="Statement" + hostile, speaker=speaker,
        stance=stance, status=Status.APPROVED, created_by=user,
    )
    claim.tags.set([tag], through_defaults={{"stance": stance}})
print(json.dumps(Token.objects.create(user=user).key))
"""

HOSTILE_URLS = [
    f"/api/v1/export/network/{kind}.{fmt}?by={by}"
    for kind in ("author-tag", "congruence", "conflict")
    for by in ("speaker", "author", "paper")
    for fmt in ("graphml", "csv")
] + ["/api/v1/export/graph.graphml", "/api/v1/export/claims.json", "/api/v1/export/aif.json"]


def get(base_url: str, path: str, token: str) -> int:
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:  # the worker died mid-request
        return 0


def worker_pids(master_pid: int) -> set[int]:
    """The pids whose parent is gunicorn's master (its workers), read from /proc."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master_pid:
                pids.add(int(entry.name))
    return pids


@contextmanager
def one_worker(env: dict[str, str], workdir: Path) -> Iterator[tuple[str, int]]:
    """gunicorn with one sync worker on a free loopback port: (base URL, master pid)."""
    port = free_port()
    log = (workdir / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "sco_claims.wsgi", "--workers=1", f"--bind=127.0.0.1:{port}",
         "--timeout=60", "--graceful-timeout=5"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url, process, workdir / "gunicorn.log")
        yield base_url, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


def test_a_worker_serves_hostile_exports_and_fifty_more_requests_without_dying():
    with sqlite_database() as (database_url, workdir):
        env = {**server_env(database_url, workdir), "DJANGO_SETTINGS_MODULE": "sco_claims.settings_test"}
        manage(env, "migrate", "--noinput", timeout=180)
        token = django_script(env, SEED.format(hostile=HOSTILE), timeout=60)
        with one_worker(env, workdir) as (base_url, master):
            workers = worker_pids(master)
            assert len(workers) == 1
            answers = {path: get(base_url, path, token) for path in HOSTILE_URLS}
            assert answers == dict.fromkeys(HOSTILE_URLS, 200)
            later = [get(base_url, HOSTILE_URLS[i % len(HOSTILE_URLS)], token) for i in range(50)]
            assert later == [200] * 50
            assert worker_pids(master) == workers, "the worker died and gunicorn replaced it"
        log = (workdir / "gunicorn.log").read_text()
        assert "SIGSEGV" not in log, log[-3000:]
        assert "Worker (pid" not in log, log[-3000:]
