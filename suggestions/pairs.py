"""Which existing claims to link: pairs of claims in papers that share no author, not linked and not judged yet,
scored by similar wording (cosine of their vectors), shared tags and opposite stances on a shared tag, each with
a suggested relation and the reasons. Pure (numpy): the selector reads the claims and their vectors."""

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

SHARED_TAGS_WEIGHT = 0.5
OPPOSITE_WEIGHT = 0.2
RESTATES_AT = 0.85  # cosine from which a pair that does not conflict is suggested as a restatement
SIMILAR_AT = 0.5  # cosine from which similar wording is given as a reason
CHUNK = 512


@dataclass(frozen=True)
class PairClaim:
    key: Hashable
    paper: Hashable
    authors: frozenset
    tags: dict[str, str] = field(default_factory=dict, hash=False)  # tag slug -> stance


@dataclass(frozen=True)
class PairSuggestion:
    source: Hashable
    target: Hashable
    relation: str  # supports, conflicts or restates
    score: float
    why: tuple[str, ...]


def rank_pairs(
    claims: Sequence[PairClaim], vectors: np.ndarray, excluded: set[frozenset], k: int
) -> list[PairSuggestion]:
    """The `k` best pairs; `vectors` are the claims' unit vectors (rows in `claims` order); `excluded` holds pairs
    of keys (linked, judged) never to suggest. Ties go to the earlier pair, so the order is deterministic."""
    n = len(claims)
    if n < 2 or k < 1:
        return []
    slugs = sorted({slug for c in claims for slug in c.tags})
    column = {slug: i for i, slug in enumerate(slugs)}
    tagged = np.zeros((n, len(slugs)), np.float32)
    affirms, denies = tagged.copy(), tagged.copy()
    for row, c in enumerate(claims):
        for slug, stance in c.tags.items():
            tagged[row, column[slug]] = 1
            affirms[row, column[slug]] = stance == "affirms"
            denies[row, column[slug]] = stance == "denies"
    people = sorted({a for c in claims for a in c.authors}, key=str)
    person = {a: i for i, a in enumerate(people)}
    wrote = np.zeros((n, len(people)), np.float32)
    for row, c in enumerate(claims):
        for a in c.authors:
            wrote[row, person[a]] = 1
    numbers: dict[Hashable, int] = {}
    papers = np.array([numbers.setdefault(c.paper, len(numbers)) for c in claims])
    counts = tagged.sum(axis=1)
    best: list[tuple[float, int, int]] = []
    for begin in range(0, n, CHUNK):
        rows = np.arange(begin, min(begin + CHUNK, n))
        cosine = vectors[rows] @ vectors.T
        shared = tagged[rows] @ tagged.T
        union = counts[rows, None] + counts[None, :] - shared
        jaccard = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
        opposite = (affirms[rows] @ denies.T + denies[rows] @ affirms.T) > 0
        score = cosine + SHARED_TAGS_WEIGHT * jaccard + OPPOSITE_WEIGHT * opposite
        blocked = (wrote[rows] @ wrote.T > 0) | (papers[rows, None] == papers[None, :])
        blocked |= np.arange(n)[None, :] <= rows[:, None]  # each pair once, never a claim with itself
        score[blocked] = -np.inf
        flat = score.ravel()
        take = min(k + len(excluded), int(np.isfinite(flat).sum()))
        if not take:
            continue
        top = np.argpartition(-flat, take - 1)[:take] if take < len(flat) else np.arange(len(flat))
        best.extend((float(flat[t]), int(rows[t // n]), int(t % n)) for t in top if np.isfinite(flat[t]))
    best.sort(key=lambda item: (-item[0], item[1], item[2]))
    out = []
    for score, i, j in best:
        a, b = claims[i], claims[j]
        if frozenset((a.key, b.key)) in excluded:
            continue
        out.append(_suggestion(a, b, score, float(vectors[i] @ vectors[j])))
        if len(out) == k:
            break
    return out


def _suggestion(a: PairClaim, b: PairClaim, score: float, cosine: float) -> PairSuggestion:
    shared = sorted(a.tags.keys() & b.tags.keys())
    opposite = [s for s in shared if {a.tags[s], b.tags[s]} == {"affirms", "denies"}]
    why = []
    if shared:
        why.append(f"shared tags: {', '.join(shared)}")
    if opposite:
        why.append(f"opposite stance on {', '.join(opposite)}")
    if cosine >= SIMILAR_AT:
        why.append(f"similar wording ({cosine:.2f})")
    relation = "conflicts" if opposite else "restates" if cosine >= RESTATES_AT else "supports"
    return PairSuggestion(a.key, b.key, relation, round(score, 6), tuple(why))
