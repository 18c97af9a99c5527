"""What the project already knows, as training data for suggestions: the claims analysts made (with their
tags and stances) and judged passages — a claim's links to other claims, and the suggestions analysts
accepted or rejected — each with its relation when there is one (same / opposite).

Pure data: the integration reads it from the database; the benches build it from the development set.
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np

from .encoders import normalise
from .index import ProjectIndex

SAME, OPPOSITE = "same", "opposite"
STANCES = ("affirms", "denies", "qualifies")


@dataclass(frozen=True)
class KnownClaim:
    key: Hashable
    paper: Hashable
    start: int
    end: int
    text: str  # quote and statement, as the claim's query would use them
    tags: tuple[tuple[str, str], ...] = ()  # (tag slug, stance)


@dataclass(frozen=True)
class Judgement:
    """A passage judged for a claim: accepted (a link, an accepted suggestion) or rejected."""

    claim: Hashable
    paper: Hashable
    start: int
    end: int
    accepted: bool
    relation: str | None = None  # SAME or OPPOSITE when accepted and known


@dataclass
class Knowledge:
    claims: list[KnownClaim] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)

    def without(self, claim_keys: Iterable[Hashable]) -> "Knowledge":
        """The same knowledge less some claims and their judgements (for held-out evaluation)."""
        dropped = set(claim_keys)
        return Knowledge(
            [c for c in self.claims if c.key not in dropped], [j for j in self.judgements if j.claim not in dropped]
        )


@dataclass
class CompiledKnowledge:
    """Knowledge placed on a project index: claim vectors, judged passages as index rows, tag prototypes."""

    claim_keys: list[Hashable]
    claim_vectors: np.ndarray  # (k, d)
    claim_tags: list[dict[str, str]]
    claim_rows: dict[int, list[int]]  # passage rows covered by each claim (index into claim_keys)
    judged: dict[int, list[tuple[int, float, str | None]]]  # passage row -> (claim number, +1/-1, relation)
    prototypes: dict[tuple[str, str], np.ndarray]  # (tag, stance) -> mean vector of its claims and accepted passages
    covering: dict[int, list[int]] = field(default_factory=dict)  # passage row -> claim numbers covering it
    tag_rows: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # tag -> (claim, accepted passage row)
    passage_vectors: np.ndarray | None = None  # the project index's vectors, for tag_rows

    @property
    def empty(self) -> bool:
        return not self.claim_keys


def compile_knowledge(knowledge: Knowledge, index: ProjectIndex, encoder) -> CompiledKnowledge:
    claims = knowledge.claims
    number = {c.key: n for n, c in enumerate(claims)}
    vectors = encoder.encode([c.text for c in claims]) if claims else np.zeros((0, index.vectors.shape[1]), np.float32)
    locator = Locator(index)
    claim_rows = {n: locator.overlapping(c.paper, c.start, c.end) for n, c in enumerate(claims)}
    covering: dict[int, list[int]] = defaultdict(list)
    for n, rows in claim_rows.items():
        for row in rows:
            covering[row].append(n)
    judged: dict[int, list[tuple[int, float, str | None]]] = defaultdict(list)
    sums: dict[tuple[str, str], list[np.ndarray]] = defaultdict(list)
    tag_rows: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for n, c in enumerate(claims):
        for tag, stance in c.tags:
            sums[(tag, stance)].append(vectors[n])
    for j in knowledge.judgements:
        if j.claim not in number:
            continue
        n = number[j.claim]
        rows = locator.overlapping(j.paper, j.start, j.end)
        for row in rows:
            judged[row].append((n, 1.0 if j.accepted else -1.0, j.relation))
        if j.accepted and rows:
            best = rows[0]
            for tag, stance in claims[n].tags:
                tag_rows[tag].append((n, best))
                # An opposite passage holds the other stance on the claim's tag.
                held = stance if j.relation != OPPOSITE else _flip(stance)
                sums[(tag, held)].append(index.vectors[best])
    prototypes = {key: normalise(np.mean(vs, axis=0, keepdims=True))[0] for key, vs in sums.items()}
    return CompiledKnowledge(
        claim_keys=[c.key for c in claims],
        claim_vectors=vectors,
        claim_tags=[dict(c.tags) for c in claims],
        claim_rows=claim_rows,
        judged=dict(judged),
        prototypes=prototypes,
        covering=dict(covering),
        tag_rows=dict(tag_rows),
        passage_vectors=index.vectors,
    )


def _flip(stance: str) -> str:
    return {"affirms": "denies", "denies": "affirms"}.get(stance, stance)


class Locator:
    """Passage rows of a project index by paper and span."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self.by_paper: dict[Hashable, np.ndarray] = {}
        order = np.argsort(index.passage_paper, kind="stable")
        bounds = np.searchsorted(index.passage_paper[order], np.arange(len(index.papers) + 1))
        for number, paper in enumerate(index.papers):
            self.by_paper[paper] = order[bounds[number] : bounds[number + 1]]

    def overlapping(self, paper: Hashable, start: int, end: int) -> list[int]:
        """Rows whose span overlaps [start, end) by at least half of the shorter of the two, best first."""
        rows = self.by_paper.get(paper)
        if rows is None or not len(rows):
            return []
        s, e = self.index.passage_start[rows], self.index.passage_end[rows]
        overlap = np.minimum(e, end) - np.maximum(s, start)
        shorter = np.minimum(e - s, end - start)
        hit = overlap * 2 >= np.maximum(shorter, 1)
        found = rows[hit]
        return [int(r) for r in found[np.argsort(-overlap[hit], kind="stable")]]
