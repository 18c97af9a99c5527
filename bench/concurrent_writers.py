"""Concurrent writers: N analysts each creating M claims through the API at once, against gunicorn.

On SQLite (a fresh file) and on PostgreSQL (a throwaway database): every request must be a 201 (errors: 0),
and every claim the server acknowledged must be in the database afterwards (lost: 0). Also p50/p95 latency
and throughput. Positions are spread over the five shipped papers, so writers do not all touch one paper.
"""

import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .common import (
    Row,
    gunicorn,
    percentile,
    postgres_available,
    postgres_database,
    prepare_database,
    server_env,
    server_errors_in_log,
    sqlite_database,
)

NAME = "concurrent writers"

SETUP_USERS = """
import json
from rest_framework.authtoken.models import Token
from annotations.models import Paper, Role, Tag, User
from django.contrib.auth.models import Group
from projects.models import Membership, default_project
group = Group.objects.get(name=Role.ANALYST)
tokens = []
for n in range({clients}):
    user, _ = User.objects.get_or_create(username=f"bench-writer-{{n}}")
    user.groups.set([group])
    Membership.objects.update_or_create(project=default_project(), user=user, defaults={{"role": Role.ANALYST}})
    tokens.append(Token.objects.get_or_create(user=user)[0].key)
papers = {{paper.slug: len(paper.text) for paper in Paper.objects.all()}}
tags = list(Tag.objects.values_list("slug", flat=True)[:10])
print(json.dumps({{"tokens": tokens, "papers": papers, "tags": tags}}))
"""

COUNT_CLAIMS = """
import json
from annotations.models import Claim
ids = Claim.objects.filter(created_by__username__startswith="bench-writer-").values_list("id", flat=True)
print(json.dumps([str(i) for i in ids]))
"""


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    created_ids: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def claim_bodies(client: int, count: int, papers: dict[str, int], tags: list[str]) -> list[dict]:
    """`count` claims for writer `client`, by positions, spread over the papers (deterministic per client)."""
    rng = random.Random(client)
    slugs = sorted(papers)
    bodies = []
    for n in range(count):
        slug = slugs[(client + n) % len(slugs)]
        length = rng.randint(20, 60)
        start = rng.randrange(0, papers[slug] - length)
        bodies.append(
            {
                "paper": slug,
                "target": {"start": start, "end": start + length},
                "statement": f"Bench claim {n} of writer {client}.",
                "stance": rng.choice(["affirms", "denies", "qualifies"]),
                "tags": rng.sample(tags, k=min(2, len(tags))),
                "note": "Made by <em>bench</em>.",
            }
        )
    return bodies


def writer(base_url: str, token: str, bodies: list[dict], outcome: Outcome, deadline: float, lock) -> None:
    parts = urlsplit(base_url)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"}
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    latencies, created, errors = [], [], []
    try:
        for body in bodies:
            if time.monotonic() > deadline:
                errors.append("not sent: the bench's time limit was reached")
                continue
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/claims/", body=json.dumps(body), headers=headers)
                response = connection.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(f"{type(error).__name__}: {error}")
                connection.close()
                continue
            latencies.append(time.perf_counter() - started)
            if response.status == 201:
                created.append(json.loads(payload)["id"])
            else:
                errors.append(f"{response.status}: {payload[:300].decode(errors='replace')}")
    finally:
        connection.close()
    with lock:
        outcome.latencies.extend(latencies)
        outcome.created_ids.extend(created)
        outcome.errors.extend(errors)


def run_against(label: str, database, clients: int, per_client: int, workers: int, time_limit: float) -> list[Row]:
    from .common import django_script

    with database() as (database_url, workdir):
        env = server_env(database_url, workdir)
        prepare_database(env)
        setup = django_script(env, SETUP_USERS.format(clients=clients))
        plans = [claim_bodies(n, per_client, setup["papers"], setup["tags"]) for n in range(clients)]
        outcome, lock = Outcome(), threading.Lock()
        with gunicorn(env, workers, workdir) as base_url:
            deadline = time.monotonic() + time_limit
            threads = [
                threading.Thread(target=writer, args=(base_url, setup["tokens"][n], plans[n], outcome, deadline, lock))
                for n in range(clients)
            ]
            started = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=time_limit + 150)
            elapsed = time.perf_counter() - started
        log_errors = server_errors_in_log(workdir)
        in_database = set(django_script(env, COUNT_CLAIMS))
    expected = clients * per_client
    acknowledged = set(outcome.created_ids)
    lost = len(acknowledged - in_database)
    bench = f"{NAME} · {label}"
    rows = [
        Row(bench, "requests", expected, "", f"{clients} clients x {per_client} claims, gunicorn --workers {workers}"),
        Row(bench, "errors (non-201 or failed)", len(outcome.errors), "", "must be 0"),
        Row(bench, "claims lost (201 but not stored)", lost, "", "must be 0"),
        Row(bench, "claims stored", len(in_database), "", f"expected {expected}"),
        Row(bench, "latency p50", round(percentile(outcome.latencies, 0.50) * 1000, 1), "ms"),
        Row(bench, "latency p95", round(percentile(outcome.latencies, 0.95) * 1000, 1), "ms"),
        Row(bench, "throughput", round(len(acknowledged) / elapsed, 1), "claims/s", f"wall {elapsed:.1f} s"),
    ]
    for sample in sorted(set(outcome.errors))[:5]:
        rows.append(Row(bench, "error sample", sample[:160]))
    for line in log_errors[:5]:
        rows.append(Row(bench, "server log", line[:160]))
    return rows


def run(options) -> list[Row]:
    clients, per_client, workers = options.clients, options.claims_per_client, options.workers
    rows = run_against("SQLite", sqlite_database, clients, per_client, workers, options.time_limit)
    if postgres_available():
        rows += run_against("PostgreSQL", postgres_database, clients, per_client, workers, options.time_limit)
        sqlite_p95 = next(r.value for r in rows if r.bench.endswith("SQLite") and r.figure == "latency p95")
        pg_p95 = next(r.value for r in rows if r.bench.endswith("PostgreSQL") and r.figure == "latency p95")
        sqlite_tp = next(r.value for r in rows if r.bench.endswith("SQLite") and r.figure == "throughput")
        pg_tp = next(r.value for r in rows if r.bench.endswith("PostgreSQL") and r.figure == "throughput")
        if sqlite_p95 and sqlite_tp:
            rows.append(Row(NAME, "p95 PostgreSQL / SQLite", round(pg_p95 / sqlite_p95, 2), "x"))
            rows.append(Row(NAME, "throughput PostgreSQL / SQLite", round(pg_tp / sqlite_tp, 2), "x"))
    else:
        rows.append(Row(f"{NAME} · PostgreSQL", "skipped", "-", "", "PostgreSQL does not answer on 127.0.0.1:5432"))
    return rows
