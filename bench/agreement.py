"""`python -m bench.run agreement`: the time of the agreement report (annotations.agreement.report) on synthetic
codings of 3 analysts x 5 papers x 2,000 claims each (30,000 claims) and links drawn from 3,000 "true" ones
(each analyst keeps about 2,200).

The pure computation first (no database); then the same codings stored in a fresh SQLite file and the report
asked through the API (JSON, CSV) and the page (bench/agreement_db.py): the selector's queries, the report and the
rendering together. The analysts
code a common "truth" with noise (boundaries moved by up to 15 code points, 5 % of claims missed, 5 % added,
a tag swapped on 10 %, a stance flipped on 10 %, links kept at 80 % and relabelled at 10 %), so the figures land
where real coding would, neither 1 nor 0.
"""

import random
import time

from annotations.agreement import CodedClaim, CodedLink, report

from .common import Row, child_json

NAME = "agreement"
TAGS = [f"tag-{i:02}" for i in range(14)]
STANCES = ("affirms", "denies", "qualifies")
RELATIONS = ("supports", "conflicts", "restates")


def synthetic(analysts: int = 3, papers: int = 5, claims: int = 2000, links: int = 3000, seed: int = 11):
    rng = random.Random(seed)
    length = claims * 120
    lengths = {f"paper-{p}": length for p in range(papers)}
    truth = []
    for paper in lengths:
        for _ in range(claims):
            start = rng.randrange(0, length - 200)
            codings = {tag: rng.choice(STANCES) for tag in rng.sample(TAGS, rng.randint(1, 2))}
            truth.append((paper, start, start + rng.randint(20, 180), codings))
    true_links = [(rng.randrange(len(truth)), rng.randrange(len(truth)), rng.choice(RELATIONS)) for _ in range(links)]
    coded, linked = [], []
    for a in range(analysts):
        coder = f"analyst-{a}"
        ids = {}
        for n, (paper, start, end, codings) in enumerate(truth):
            if rng.random() < 0.05:
                continue
            codings = dict(codings)
            if rng.random() < 0.10:
                codings.pop(next(iter(codings)))
                codings[rng.choice(TAGS)] = rng.choice(STANCES)
            if rng.random() < 0.10:
                tag = next(iter(codings))
                codings[tag] = rng.choice(STANCES)
            s = max(0, start + rng.randint(-15, 15))
            e = max(s + 5, end + rng.randint(-15, 15))
            ids[n] = f"{coder}/{n}"
            coded.append(CodedClaim(ids[n], coder, paper, s, min(e, length), codings))
        for n in range(claims * papers // 20):  # claims only this analyst saw
            paper = rng.choice(list(lengths))
            start = rng.randrange(0, length - 200)
            coded.append(
                CodedClaim(
                    f"{coder}/extra-{n}",
                    coder,
                    paper,
                    start,
                    start + rng.randint(20, 180),
                    {rng.choice(TAGS): "affirms"},
                )
            )
        for source, target, relation in true_links:
            if source in ids and target in ids and source != target and rng.random() < 0.8:
                if rng.random() < 0.10:
                    relation = rng.choice(RELATIONS)
                linked.append(CodedLink(coder, ids[source], ids[target], relation))
    return coded, linked, lengths


def run(options) -> list[Row]:
    claims = 400 if options.quick else 2000
    coded, linked, lengths = synthetic(claims=claims)
    bench = f"{NAME} · 3 analysts x 5 papers x {claims:,} claims"
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = report(coded, linked, lengths=lengths)
        timings.append(time.perf_counter() - started)
    timings.sort()
    figures = [
        ("unitizing_alpha", result["unitizing_alpha"]),
        ("cu_alpha", result["cu_alpha"]),
        ("tag_alpha", result["tag_alpha"]),
        ("stance_alpha", result["stance_alpha"]),
        ("link_alpha", result["link_alpha"]),
    ]
    rows = [
        Row(
            bench,
            "report",
            round(timings[1], 2),
            "s",
            f"median of 3, pure Python; {len(coded):,} claims, {len(linked):,} links",
        )
    ]
    rows += [Row(bench, name, f["value"], "", f"{f['units']:,} units") for name, f in figures]
    rows.append(
        Row(bench, "disagreements", result["disagreements_total"], "", f"{len(result['disagreements'])} listed")
    )
    stored = child_json("bench.agreement_db", "--claims", str(claims))
    note = f"median of 3 requests; {stored['claims']:,} claims and {stored['links']:,} links in SQLite"
    for label, figure in (("API (JSON)", "api_json"), ("API (CSV)", "api_csv"), ("page", "page")):
        found = stored[figure]
        rows.append(
            Row(bench, label, found["seconds"], "s", f"{note}; {found['queries']} queries, {found['bytes']:,} bytes")
        )
    rows.append(
        Row(
            bench,
            "page / pure report",
            round(stored["page"]["seconds"] / timings[1], 2),
            "x",
            "the page's cost over the report's",
        )
    )
    return rows
