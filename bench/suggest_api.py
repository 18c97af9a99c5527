"""`python -m bench.run suggest_api`: passage suggestions through the app, as a user gets them — the API request
(authentication, visibility, the project's knowledge, the stored indexes) with the real model.

In a child process on a fresh SQLite database: the five shipped papers loaded by `corpus_load`, which indexes
each after the load commits (the model over its sentences: the indexing time per paper, as the app spends it);
then copies of them, with their stored indexes copied too (so that building a project of hundreds of papers
does not take an hour of encoding), each copy by its own author; the development set's 47 claims made through
`claim_create` (no model: a claim's query vectors are computed by its first suggestion request); then
`GET /api/v1/claims/{id}/suggestions/?k=10` through Django's test client: the first request (the project index
built from the stored bytes, the knowledge compiled), each claim's first request (the model encodes its quote
and statement, and the vectors are stored), and each claim again (its vectors read back).
"""

import json
import os
import statistics
import time

from .common import ROOT, Row, child_json, child_main

NAME = "suggest_api"
# Copies of each of the five papers: 40 gives 205 papers in all; BENCH_SUGGEST_COPIES=200 gives 1,005.
COPIES = int(os.environ.get("BENCH_SUGGEST_COPIES", "40"))


def run(options) -> list[Row]:
    r = child_json("bench.suggest_api", f"--copies={COPIES}", timeout=3600)
    bench = f"{NAME} · {r['papers']} papers, {r['passages']} passages, {r['claims']} claims; load {r['load']}"
    rows = [
        Row(bench, "index one shipped paper on load (model), mean", r["index_mean"], "s", f"max {r['index_max']} s"),
        Row(bench, "project index built from the stored bytes (a new process)", r["built"], "ms"),
        Row(bench, "the same, built again", r["rebuilt"], "ms"),
        Row(bench, "first request (knowledge compiled: the model encodes the claims)", r["first"], "ms"),
        Row(bench, "claim_create (no model), mean", r["per_claim"], "ms"),
        Row(bench, "suggestions, each claim's first request (the model encodes it): p50", r["cold_p50"], "ms"),
        Row(
            bench, "suggestions, each claim's first request: p95", r["cold_p95"], "ms", "goal ≤ 300 ms at 1,000 papers"
        ),
        Row(bench, "suggestions, each claim again (its vectors stored): p50", r["warm_p50"], "ms"),
        Row(bench, "suggestions, each claim again: p95", r["warm_p95"], "ms"),
        Row(bench, "queries per request", r["queries"], ""),
    ]
    return rows


def measure(copies: int = 40) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    settings.SUGGEST_ENCODER = "minilm"
    settings.ALLOWED_HOSTS = ["testserver"]
    from annotations import corpus, services
    from annotations.models import Author, Paper, PaperAuthor, Tag, User
    from projects.models import Membership, ProjectRole, default_project
    from suggestions.models import PaperVectors

    project = default_project()
    services.corpus_load(
        papers=corpus.papers_from_corpus_file(corpus.SHIPPED_CORPUS),
        tags=corpus.tags_from_codebook_file(corpus.SHIPPED_CODEBOOK),
    )  # each paper indexed once the load commits
    seconds = list(PaperVectors.objects.values_list("seconds", flat=True))
    originals = list(Paper.objects.filter(project=project))
    stored = {v.paper_id: v for v in PaperVectors.objects.all()}
    for n in range(copies):
        for paper in originals:
            copy = Paper.objects.create(
                project=project, slug=f"{paper.slug}-copy-{n}", title=paper.title, text=paper.text
            )
            author = Author.objects.create(project=project, name=f"Copyist {n} {paper.slug}")
            PaperAuthor.objects.create(paper=copy, author=author, position=1)
            vectors = stored[paper.pk]
            PaperVectors.objects.create(
                paper=copy, encoder=vectors.encoder, text_sha256=vectors.text_sha256, data=vectors.data,
                passages=vectors.passages,
            )  # fmt: skip
    from rest_framework.authtoken.models import Token

    analyst = User.objects.create_user(username="bench-analyst", password="a-long-bench-password-42")
    Membership.objects.create(project=project, user=analyst, role=ProjectRole.ANALYST)
    token = Token.objects.create(user=analyst)
    tags = {t.slug: t for t in Tag.objects.filter(project=project)}
    papers = {p.slug: p for p in originals}
    claims = []
    created = time.perf_counter()
    for item in json.loads((ROOT / "bench" / "suggest_devset.json").read_text(encoding="utf-8"))["queries"]:
        c = item["claim"]
        claims.append(
            services.claim_create(
                created_by=analyst, paper=papers[c["paper"]], statement=c["statement"],
                target={"start": c["start"], "end": c["end"], "exact": c["exact"]},
                tags=[(tags[t["tag"]], t["stance"]) for t in c["tags"]],
            ).pk
        )  # fmt: skip
    per_claim = (time.perf_counter() - created) * 1000 / len(claims)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")

    def get(claim_id) -> float:
        began = time.perf_counter()
        response = client.get(f"/api/v1/claims/{claim_id}/suggestions/", {"k": 10})
        elapsed = (time.perf_counter() - began) * 1000
        assert response.status_code == 200, response.content[:500]
        return elapsed

    from suggestions.indexing import forget_project_indexes, project_index

    began = time.perf_counter()
    project_index(project.pk)
    built = (time.perf_counter() - began) * 1000
    forget_project_indexes()  # again, now that the process has seen the bytes once (the operating system's cache)
    began = time.perf_counter()
    project_index(project.pk)
    rebuilt = (time.perf_counter() - began) * 1000
    first = get(claims[0])
    cold = [get(claim_id) for claim_id in claims[1:]]
    warm = [get(claim_id) for claim_id in claims]
    with CaptureQueriesContext(connection) as queries:
        get(claims[0])

    def percentile(values, q):
        ordered = sorted(values)
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)

    return {
        "per_claim": round(per_claim, 1),
        "built": round(built, 1),
        "rebuilt": round(rebuilt, 1),
        "papers": Paper.objects.count(),
        "passages": len(project_index(project.pk)),
        "claims": len(claims),
        "load": round(os.getloadavg()[0], 1),
        "index_mean": round(statistics.mean(seconds), 1),
        "index_max": round(max(seconds), 1),
        "first": round(first, 1),
        "cold_p50": percentile(cold, 0.5),
        "cold_p95": percentile(cold, 0.95),
        "warm_p50": percentile(warm, 0.5),
        "warm_p95": percentile(warm, 0.95),
        "queries": len(queries),
    }


if __name__ == "__main__":
    child_main(__doc__, measure, copies=40)
