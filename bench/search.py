"""`python -m bench.run search`: search latency through the API on the five shipped papers and on a synthetic
project of 1,000 papers (their sentences shuffled into new texts), on SQLite (FTS5) and, when it answers,
PostgreSQL (GIN); and the time to index those 1,000 papers. Each database in its own process, on a fresh
database; the machine's load average is printed with the figures, which are for reading, never for asserting.
"""

import json
import os
import signal
import subprocess

from .common import (
    PYTHON,
    ROOT,
    Row,
    child_main,
    percentile,
    postgres_available,
    postgres_database,
    server_env,
    sqlite_database,
)

NAME = "search"
QUERIES = [
    "alliance",
    '"three evils"',
    "secur* cooperation",
    "terrorism OR separatism OR extremism",
    "china NOT russia",
    '"not an alliance" OR "non-alignment"',
    "energy AND pipeline*",
    "mutual trust",
]
# With a paper filter: the filter's papers are joined to the matches (most synthetic papers are by Chinese authors).
FILTERED = [{"q": "secur* cooperation", "country": "China"}, {"q": "alliance", "author": "Pan Guang"}]
REPEATS = 5


def _child(database_url, workdir, papers: int) -> dict:
    env = {**server_env(database_url, workdir), "DJANGO_SETTINGS_MODULE": "sco_claims.settings_test"}
    env["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
    process = subprocess.Popen(
        [PYTHON, "-m", "bench.search", "--papers", str(papers)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=1800)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RuntimeError("bench.search did not finish within 1800 s") from None
    if process.returncode != 0:
        raise RuntimeError(f"bench.search failed:\n{stderr[-3000:]}")
    return json.loads(stdout.strip().splitlines()[-1])


def run(options=None, papers: int = 1000) -> list[Row]:
    databases = [("SQLite FTS5", sqlite_database)]
    if postgres_available():
        databases.append(("PostgreSQL GIN", postgres_database))
    rows = []
    for label, database in databases:
        with database() as (url, workdir):
            r = _child(url, workdir, papers)
        bench = f"{NAME} · {label}, load average {r['load']}"
        for corpus in ("five", "synthetic"):
            size = "5 papers" if corpus == "five" else f"{r['papers']:,} papers, {r['entries']:,} entries"
            rows.append(Row(bench, f"GET /api/v1/search/ p50 ({size})", r[corpus]["p50"], "ms"))
            rows.append(Row(bench, f"GET /api/v1/search/ p95 ({size})", r[corpus]["p95"], "ms"))
        rows.append(Row(bench, f"p50 with a country or author filter ({size})", r["filtered"]["p50"], "ms"))
        rows.append(Row(bench, f"p95 with a country or author filter ({size})", r["filtered"]["p95"], "ms"))
        rows.append(Row(bench, f"index the {r['papers'] - 5:,} synthetic papers (passages)", r["index_seconds"], "s"))
    return rows


def measure(papers: int) -> dict:
    import random
    import time

    from django.core.management import call_command
    from django.test import Client

    from annotations.models import Paper, PaperAuthor, User
    from annotations.suggest.segmentation import word_sentences
    from projects.models import Membership, ProjectRole, default_project
    from search import indexing
    from search.models import SearchEntry

    call_command("migrate", verbosity=0)
    call_command("load_corpus", verbosity=0)
    user = User.objects.create_user("bench-search", password="bench-password-42")
    Membership.objects.create(project=default_project(), user=user, role=ProjectRole.READER)
    client = Client()
    client.force_login(user)

    def latencies(queries) -> dict:
        timings = []
        for params in queries:
            client.get("/api/v1/search/", params)  # warm
            for _ in range(REPEATS):
                began = time.perf_counter()
                response = client.get("/api/v1/search/", params)
                timings.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, response.content
        return {"p50": round(percentile(timings, 0.5), 1), "p95": round(percentile(timings, 0.95), 1)}

    plain = [{"q": query} for query in QUERIES]
    five = latencies(plain)
    sentences = [p.text[s:e] for p in Paper.objects.all() for s, e in word_sentences(p.text)]
    shuffle = random.Random(7)
    bylines = list(PaperAuthor.objects.all())
    made = []
    for n in range(papers):
        text = "\n".join(" ".join(shuffle.sample(sentences, 4)) for _ in range(12)) + "\n"
        made.append(Paper(project=default_project(), slug=f"synthetic-{n}", title=f"Synthetic {n}", text=text))
    for paper in made:
        paper.text_sha256 = ""
    Paper.objects.bulk_create(made, batch_size=200)
    made = list(Paper.objects.filter(slug__startswith="synthetic-").only("id"))
    PaperAuthor.objects.bulk_create(
        PaperAuthor(paper=paper, author_id=bylines[i % len(bylines)].author_id, position=1)
        for i, paper in enumerate(made)
    )
    began = time.perf_counter()
    ids = [paper.pk for paper in made]
    for start in range(0, len(ids), 50):
        indexing.papers_indexed(ids[start : start + 50])
    index_seconds = round(time.perf_counter() - began, 1)
    return {
        "five": five,
        "synthetic": latencies(plain),
        "filtered": latencies(FILTERED),
        "papers": papers + 5,
        "entries": SearchEntry.objects.count(),
        "index_seconds": index_seconds,
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


if __name__ == "__main__":
    child_main(__doc__, measure, papers=1000)
