"""Writes: one analyst creating claims, then links between them, one request at a time, through gunicorn.

p50/p95 per request on SQLite and PostgreSQL, each as a ratio to a baseline measured in the same run: a bare DRF
endpoint that inserts one row (bench/writes_urls.py, served by the bench's own settings only) through the same
middleware and token authentication. With `--writes-before PATH` (a checkout of older code, e.g.
`git worktree add /tmp/before <commit>`), the same workload also runs against that code, on its own database,
and the table gives the speed-up. The variants take turns in small rounds, so that a load elsewhere on the
machine weighs on all of them alike.
"""

import http.client
import json
import time
from contextlib import ExitStack
from pathlib import Path

from .common import (
    ROOT,
    Row,
    django_script,
    gunicorn,
    percentile,
    postgres_available,
    postgres_database,
    prepare_database,
    server_env,
    server_errors_in_log,
    sqlite_database,
)
from .concurrent_writers import claim_bodies

NAME = "writes"
CLAIMS_PER_ROUND, LINKS_PER_ROUND = 20, 10
RELATIONS = ("supports", "conflicts", "restates")

SETUP_WRITER = """
import json
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from annotations.models import Paper, Role, Tag, User
user, _ = User.objects.get_or_create(username="bench-writes")
user.groups.set([Group.objects.get(name=Role.ANALYST)])
try:  # code from before projects (a --writes-before checkout) has site-wide roles only
    from projects.models import Membership, default_project
except ImportError:
    pass
else:
    Membership.objects.update_or_create(project=default_project(), user=user, defaults={"role": Role.ANALYST})
papers = {paper.slug: len(paper.text) for paper in Paper.objects.all()}
tags = list(Tag.objects.order_by("slug").values_list("slug", flat=True)[:10])
print(json.dumps({"token": Token.objects.get_or_create(user=user)[0].key, "papers": papers, "tags": tags}))
"""


class Variant:
    """One server under test: its base URL, token, and the latencies and errors of each kind of write."""

    def __init__(self, label: str, base_url: str, token: str):
        self.label, self.base_url, self.token = label, base_url, token
        self.latencies: dict[str, list[float]] = {"claim": [], "link": [], "insert": []}
        self.errors: list[str] = []
        self.claim_ids: list[str] = []

    def warm_up(self) -> None:
        host, port = self.base_url.removeprefix("http://").split(":")
        for _ in range(5):
            connection = http.client.HTTPConnection(host, int(port), timeout=60)
            try:
                connection.request("GET", "/api/v1/papers/", headers={"Authorization": f"Token {self.token}"})
                connection.getresponse().read()
            finally:
                connection.close()

    def post(self, kind: str, path: str, body: dict) -> dict | None:
        host, port = self.base_url.removeprefix("http://").split(":")
        headers = {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        connection = http.client.HTTPConnection(host, int(port), timeout=60)
        started = time.perf_counter()
        try:
            connection.request("POST", path, body=json.dumps(body), headers=headers)
            response = connection.getresponse()
            payload = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.errors.append(f"{kind}: {type(error).__name__}: {error}")
            return None
        finally:
            connection.close()
        self.latencies[kind].append(time.perf_counter() - started)
        if response.status != 201:
            self.errors.append(f"{kind}: {response.status}: {payload[:200].decode(errors='replace')}")
            return None
        return json.loads(payload)


def in_rounds(variants: list[Variant], work: list, per_round: int, send) -> None:
    """Each variant sends `per_round` items of `work` in turn, until the work is done."""
    for first in range(0, len(work), per_round):
        for variant in variants:
            for item in work[first : first + per_round]:
                send(variant, item)


def link_bodies(claim_ids: list[str]) -> list[dict]:
    """One link per pair of consecutive claims (two claims carry at most one live link)."""
    return [
        {"source": a, "target": b, "relation": RELATIONS[n % 3], "rationale": f"Bench link {n}."}
        for n, (a, b) in enumerate(zip(claim_ids[0::2], claim_ids[1::2], strict=False))
    ]


def run_against(label: str, database, trees: dict[str, Path], count: int) -> list[Row]:
    bench = f"{NAME} · {label}"
    with ExitStack() as stack:
        variants, workdirs = [], []
        for name, tree in trees.items():
            database_url, workdir = stack.enter_context(database())
            env = server_env(database_url, workdir)
            prepare_database(env, tree=tree)
            setup = django_script(env, SETUP_WRITER, tree=tree)
            if tree == ROOT:  # this code's server also serves the bare baseline endpoint
                env["DJANGO_SETTINGS_MODULE"] = "bench.writes_settings"
            base_url = stack.enter_context(gunicorn(env, 1, workdir, tree=tree))
            variants.append(Variant(name, base_url, setup["token"]))
            workdirs.append(workdir)
        claims = claim_bodies(0, count, setup["papers"], setup["tags"][:2])
        for variant in variants:  # warm up: the first requests of a worker load code and open connections
            variant.warm_up()

        def send_claim(variant: Variant, body: dict) -> None:
            created = variant.post("claim", "/api/v1/claims/", body)
            if created:
                variant.claim_ids.append(created["id"])

        def send_link(variant: Variant, index: int) -> None:
            bodies = link_bodies(variant.claim_ids)
            if index < len(bodies):
                variant.post("link", "/api/v1/links/", bodies[index])

        def send_insert(variant: Variant, n: int) -> None:
            if variant.label == "now":
                variant.post("insert", "/bench/insert/", {"text": f"bench row {n}"})

        in_rounds(variants, claims, CLAIMS_PER_ROUND, lambda v, body: (send_insert(v, 0), send_claim(v, body)))
        in_rounds(variants, list(range(count // 2)), LINKS_PER_ROUND, lambda v, i: (send_insert(v, i), send_link(v, i)))
        log_errors = [line for workdir in workdirs for line in server_errors_in_log(workdir)]
    return rows_of(bench, variants, log_errors)


def ms(values: list[float], fraction: float) -> float:
    return round(percentile(values, fraction) * 1000, 1)


def rows_of(bench: str, variants: list[Variant], log_errors: list[str]) -> list[Row]:
    now = next(v for v in variants if v.label == "now")
    before = next((v for v in variants if v.label == "before"), None)
    bare = ms(now.latencies["insert"], 0.5)
    rows = [
        Row(bench, "errors (non-201 or failed)", sum(len(v.errors) for v in variants), "", "must be 0"),
        Row(bench, "bare DRF insert p50", bare, "ms", f"p95 {ms(now.latencies['insert'], 0.95)} ms; the baseline"),
    ]
    for kind in ("claim", "link"):
        p50, p95 = ms(now.latencies[kind], 0.5), ms(now.latencies[kind], 0.95)
        rows.append(Row(bench, f"{kind} create p50", p50, "ms", f"{len(now.latencies[kind])} sequential, p95 {p95} ms"))
        rows.append(Row(bench, f"{kind} create p50 / bare insert p50", round(p50 / bare, 2) if bare else "-", "x"))
        if before:
            old50, old95 = ms(before.latencies[kind], 0.5), ms(before.latencies[kind], 0.95)
            rows.append(Row(bench, f"{kind} create p50, code before", old50, "ms", f"p95 {old95} ms"))
            rows.append(Row(bench, f"{kind} create speed-up (before / now, p50)", round(old50 / p50, 2), "x"))
    for sample in sorted({e for v in variants for e in v.errors})[:5]:
        rows.append(Row(bench, "error sample", sample[:160]))
    rows += [Row(bench, "server log", line[:160]) for line in log_errors[:5]]
    return rows


def run(options) -> list[Row]:
    count = 60 if options.quick else options.writes_count
    trees = {"now": ROOT}
    if options.writes_before:
        trees["before"] = Path(options.writes_before).resolve()
    rows = run_against("SQLite", sqlite_database, trees, count)
    if postgres_available():
        rows += run_against("PostgreSQL", postgres_database, trees, count)
    else:
        rows.append(Row(f"{NAME} · PostgreSQL", "skipped", "-", "", "PostgreSQL does not answer on 127.0.0.1:5432"))
    return rows
