"""A synthetic corpus of N claims and M links over the five shipped papers, for the read benches.

Written with bulk_create in one Django shell run (the services would take minutes for 100,000 claims, and the
benches measure reads, not writes). Deterministic: the same N and M give the same rows' shape on every run.
"""

from .common import django_script

SEED = """
import json, random, time
from django.contrib.auth.models import Group
from django.db import transaction
from annotations import anchoring
from annotations.models import Claim, Coding, Link, Paper, Role, Status, Tag, User
from projects.models import Membership, default_project

started = time.perf_counter()
rng = random.Random(20260101)
analyst, _ = User.objects.get_or_create(username="bench-analyst")
analyst.groups.set([Group.objects.get(name=Role.ANALYST)])
Membership.objects.update_or_create(project=default_project(), user=analyst, defaults={"role": Role.ANALYST})
papers = list(Paper.objects.all())
tags = list(Tag.objects.all())
statuses = [Status.APPROVED] * 6 + [Status.PENDING] * 3 + [Status.REJECTED]
with transaction.atomic():
    claims = []
    for n in range({claims}):
        paper = papers[n % len(papers)]
        length = rng.randint(20, 120)
        start = rng.randrange(0, len(paper.text) - length)
        anchor = anchoring.anchor_at(paper.text, start, start + length)
        claims.append(Claim(
            paper=paper, start=anchor.start, end=anchor.end, exact=anchor.exact, prefix=anchor.prefix,
            suffix=anchor.suffix, statement=f"Synthetic claim {{n}}: " + anchor.exact[:80],
            speaker=rng.choice(["", "", "", "Qi Guowei", "Hu Jintao"]), stance=rng.choice(["affirms", "denies", "qualifies"]),
            note="" if n % 3 else "A <em>note</em> on it.", status=rng.choice(statuses), created_by=analyst,
        ))
    Claim.objects.bulk_create(claims, batch_size=2000)
    Coding.objects.bulk_create(
        [Coding(claim_id=claim.pk, tag_id=tag.pk, stance=claim.stance) for claim in claims for tag in rng.sample(tags, k=rng.randint(1, 3))],
        batch_size=5000,
    )
    pairs, joined = set(), set()  # two claims carry at most one live link
    while len(pairs) < {links}:
        source, target = rng.randrange(len(claims)), rng.randrange(len(claims))
        if source != target and frozenset((source, target)) not in joined:
            joined.add(frozenset((source, target)))
            pairs.add((source, target, rng.choice(["supports", "conflicts", "restates"])))
    Link.objects.bulk_create(
        [Link(source=claims[s], target=claims[t], relation=r, status=rng.choice(statuses), created_by=analyst)
         for s, t, r in sorted(pairs)],
        batch_size=2000,
    )
print(json.dumps({{"claims": Claim.objects.count(), "links": Link.objects.count(),
                  "seconds": round(time.perf_counter() - started, 1)}}))
"""


def seed(env: dict[str, str], *, claims: int, links: int) -> dict:
    """Add `claims` claims and `links` links to the (migrated, corpus-loaded) database of `env`."""
    return django_script(env, SEED.format(claims=claims, links=links), timeout=1200)
