"""Rank a project's passages for a claim: candidates from BM25 and from embeddings, features, a linear
re-ranker (hand-set weights, or learned from the project's judgements), non-overlapping results, and a
relation (same / opposite / unsure) for each.

Pure: a `ProjectIndex`, an encoder and optional `CompiledKnowledge` in; `Suggestion`s out. The two linear
models that score the features are in scoring.py.
"""

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np

from .bm25 import query_terms
from .encoders import Encoder, normalise
from .index import ProjectIndex
from .knowledge import OPPOSITE, SAME, CompiledKnowledge
from .scoring import CONTRAST, FEATURES, NEGATION, RELATION_FEATURES, RelationModel, Reranker

CANDIDATES = 300  # from each of BM25 and embeddings
RRF_K = 60


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str = ""
    description: str = ""
    stance: str = "affirms"


@dataclass(frozen=True)
class ClaimQuery:
    """Everything the analyst gave: the quote, their statement, tags with stance; and whose paper it is."""

    paper: Hashable
    start: int
    end: int
    quote: str
    statement: str = ""
    tags: tuple[Tag, ...] = ()
    authors: frozenset = frozenset()
    key: Hashable | None = None  # the claim, once it exists: its own judgements never count as evidence

    def tag_text(self) -> str:
        return " ".join(f"{t.name}. {t.description}" for t in self.tags)

    def stance_of(self, slug: str) -> str | None:
        return next((t.stance for t in self.tags if t.slug == slug), None)


@dataclass(frozen=True)
class Suggestion:
    paper: Hashable
    start: int
    end: int
    exact: str
    score: float
    relation: str | None  # SAME, OPPOSITE or None when unsure
    claim: Hashable | None  # an existing claim covering the passage, if any


@dataclass
class Candidates:
    rows: np.ndarray
    features: np.ndarray  # (len(rows), len(FEATURES))
    query_vector: np.ndarray
    query: ClaimQuery


_TAG_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def encode_query(query: ClaimQuery, encoder: Encoder) -> np.ndarray:
    """Vectors of the quote, the statement and the tags (zero rows for what is missing). A tag's vector (its
    name and description) is computed once per encoder: the codebook is small and every claim reuses it."""
    parts = [query.quote, query.statement]
    present = [i for i, p in enumerate(parts) if p.strip()]
    vectors = np.zeros((3, encoder.dimension), dtype=np.float32)
    if present:
        vectors[present] = encoder.encode([parts[i] for i in present])
    tag_texts = [f"{t.name}. {t.description}" for t in query.tags if t.name or t.description]
    missing = [t for t in dict.fromkeys(tag_texts) if (encoder.name, t) not in _TAG_VECTORS]
    if missing:
        if len(_TAG_VECTORS) > 10_000:
            _TAG_VECTORS.clear()
        _TAG_VECTORS.update(((encoder.name, t), v) for t, v in zip(missing, encoder.encode(missing), strict=True))
    if tag_texts:
        vectors[2] = normalise(np.sum([_TAG_VECTORS[(encoder.name, t)] for t in tag_texts], axis=0)[None, :])[0]
    return vectors


def combined(parts: np.ndarray) -> np.ndarray:
    return normalise((parts[0] + parts[1] + 1.0 * parts[2])[None, :])[0]


def bm25_query(query: ClaimQuery) -> dict[str, float]:
    return query_terms([(query.quote, 1.0), (query.statement, 1.0), (" ".join(t.name for t in query.tags), 0.3)])


def candidates(
    index: ProjectIndex,
    query: ClaimQuery,
    encoder: Encoder,
    knowledge: CompiledKnowledge | None = None,
    pool: int = CANDIDATES,
    query_vectors: np.ndarray | None = None,
) -> Candidates:
    """The union of the best `pool` passages by BM25 and by embedding, in papers by other authors, with
    their features. `query_vectors` (from `encode_query`) may be passed when stored with the claim."""
    allowed = index.allowed(query.authors)
    parts = encode_query(query, encoder) if query_vectors is None else query_vectors
    vector = combined(parts)
    dense = index.similarity(vector)
    dense[~allowed] = -np.inf
    lexical = index.bm25.scores(bm25_query(query), allowed)
    lexical[~allowed] = -np.inf
    top_dense = _top(dense, pool)
    top_lexical = _top(lexical, pool)
    rows = np.union1d(top_dense, top_lexical)
    if knowledge is not None and not knowledge.empty:
        # Passages analysts tied to the claim's tags are candidates however few words they share with it.
        rows = np.union1d(rows, _tagged_rows(knowledge, query)).astype(np.int64)
    rows = rows[np.isfinite(dense[rows])]
    features = np.zeros((len(rows), len(FEATURES)), dtype=np.float32)
    if not len(rows):
        return Candidates(rows, features, vector, query)
    column = {name: i for i, name in enumerate(FEATURES)}
    best_lexical = float(max(lexical[rows].max(), 1e-9))
    features[:, column["bm25"]] = np.maximum(lexical[rows], 0) / best_lexical
    passage_vectors = index.vectors[rows]
    cosines = passage_vectors @ parts.T
    features[:, column["cos_quote"]] = cosines[:, 0]
    features[:, column["cos_statement"]] = cosines[:, 1]
    features[:, column["cos_tags"]] = cosines[:, 2]
    features[:, column["rank_dense"]] = RRF_K / (RRF_K + _ranks(top_dense, dense, rows))
    features[:, column["rank_bm25"]] = RRF_K / (RRF_K + _ranks(top_lexical, lexical, rows))
    features[:, column["rrf"]] = features[:, column["rank_dense"]] + features[:, column["rank_bm25"]]
    features[:, column["window"]] = index.passage_size[rows] > 1
    for name, text in (
        ("bm25_quote", query.quote),
        ("bm25_statement", query.statement),
        ("bm25_tags", query.tag_text()),
    ):
        part = index.bm25.scores_at(query_terms([(text, 1.0)]), rows)
        features[:, column[name]] = part / max(float(part.max()), 1e-9)
    features[:, column["cos_max"]] = np.maximum(cosines[:, 0], cosines[:, 1])
    if knowledge is not None and not knowledge.empty:
        _knowledge_features(knowledge, query, vector, rows, passage_vectors, features, column)
    return Candidates(rows, features, vector, query)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if len(scores) <= k:
        return np.arange(len(scores))
    return np.argpartition(-scores, k)[:k]


def _ranks(top: np.ndarray, scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """1-based rank of each row among `top` (the best rows of one list); rows outside it rank after them all.
    Sorting only the top keeps a query on a million passages fast."""
    ordered = top[np.argsort(-scores[top], kind="stable")]
    rank = {int(row): position + 1 for position, row in enumerate(ordered.tolist())}
    return np.array([rank.get(int(row), 2 * len(top) + 1) for row in rows], dtype=np.float32)


def _own(knowledge: CompiledKnowledge, query: ClaimQuery) -> int | None:
    if query.key is None:
        return None
    try:
        return knowledge.claim_keys.index(query.key)
    except ValueError:
        return None


def _tagged_rows(knowledge: CompiledKnowledge, query: ClaimQuery) -> np.ndarray:
    """Rows covered by another claim on one of the query's tags, or accepted for one."""
    own = _own(knowledge, query)
    slugs = {t.slug for t in query.tags}
    found = {row for slug in slugs for claim, row in knowledge.tag_rows.get(slug, ()) if claim != own}
    for claim, claim_tags in enumerate(knowledge.claim_tags):
        if claim != own and slugs & claim_tags.keys():
            found.update(knowledge.claim_rows.get(claim, ()))
    return np.array(sorted(found), dtype=np.int64)


def _knowledge_features(knowledge, query, vector, rows, passage_vectors, features, column) -> None:
    own = _own(knowledge, query)
    similarity = knowledge.claim_vectors @ vector if len(knowledge.claim_keys) else np.zeros(0)
    tags = {t.slug: t.stance for t in query.tags}
    prototypes = [
        knowledge.prototypes[(slug, stance)] for slug, stance in tags.items() if (slug, stance) in knowledge.prototypes
    ]
    prototypes += [
        knowledge.prototypes[(slug, other)]
        for slug, stance in tags.items()
        for other in ("affirms", "denies")
        if other != stance and (slug, other) in knowledge.prototypes
    ]
    if prototypes:
        features[:, column["prototype"]] = (passage_vectors @ np.array(prototypes).T).max(axis=1)
    tagged = [row for slug in tags for row in knowledge.tag_rows.get(slug, ()) if row[0] != own]
    if tagged:
        accepted = np.array(sorted({row for _, row in tagged}), dtype=np.int64)
        features[:, column["tag_passages"]] = (passage_vectors @ knowledge.passage_vectors[accepted].T).max(axis=1)
    for i, row in enumerate(rows.tolist()):
        if row not in knowledge.judged and row not in knowledge.covering:
            continue
        accepted = rejected = 0.0
        for claim, sign, _relation in knowledge.judged.get(row, ()):
            if claim != own:
                weight = max(float(similarity[claim]), 0.0)
                if sign > 0:
                    accepted = max(accepted, weight)
                else:
                    rejected = max(rejected, weight)
        evidence = accepted - rejected
        features[i, column["neighbours"]] = evidence
        shared = 0.0
        for claim in knowledge.covering.get(row, ()):
            if claim != own and tags:
                shared = max(shared, len(tags.keys() & knowledge.claim_tags[claim].keys()) / len(tags))
        features[i, column["covering_tags"]] = shared
        judged_shared = 0.0
        for claim, sign, _relation in knowledge.judged.get(row, ()):
            if claim != own and sign > 0 and tags:
                judged_shared = max(judged_shared, len(tags.keys() & knowledge.claim_tags[claim].keys()) / len(tags))
        features[i, column["judged_tags"]] = judged_shared
        features[i, column["other_side"]] = _other_side(knowledge, row, own, tags)


def _other_side(knowledge: CompiledKnowledge, row: int, own: int | None, tags: dict[str, str]) -> float:
    """Share of the query's tags on which the passage holds the other stance: a claim covering it, or a
    passage accepted as 'same' for a claim, with the opposite stance on the tag; or accepted as 'opposite'
    for a claim with the same stance."""
    best = 0.0
    evidence = [(claim, SAME) for claim in knowledge.covering.get(row, ())]
    evidence += [(claim, relation) for claim, sign, relation in knowledge.judged.get(row, ()) if sign > 0]
    for claim, relation in evidence:
        if claim == own or not tags:
            continue
        flipped = 0
        for slug, stance in knowledge.claim_tags[claim].items():
            if slug not in tags:
                continue
            opposed = {stance, tags[slug]} == {"affirms", "denies"}
            flipped += opposed if relation != OPPOSITE else stance == tags[slug]
        best = max(best, flipped / len(tags))
    return best


def relation_features(index: ProjectIndex, found: Candidates, knowledge: CompiledKnowledge | None) -> np.ndarray:
    query = found.query
    claim_negated = bool(NEGATION.search(query.quote + " " + query.statement))
    denies = any(t.stance == "denies" for t in query.tags)
    tags = {t.slug: t.stance for t in query.tags}
    own = _own(knowledge, query) if knowledge is not None else None
    similarity = (
        knowledge.claim_vectors @ found.query_vector if knowledge is not None and len(knowledge.claim_keys) else None
    )
    out = np.zeros((len(found.rows), len(RELATION_FEATURES)), dtype=np.float32)
    for i, row in enumerate(found.rows.tolist()):
        text = index.exact(row) if index.texts else ""
        out[i, 0] = float(bool(NEGATION.search(text)) != claim_negated)
        out[i, 1] = min(len(CONTRAST.findall(text)), 3) / 3
        out[i, 2] = float(denies)
        if knowledge is None or knowledge.empty:
            continue
        stance_votes = 0.0
        for claim in knowledge.covering.get(row, ()):
            if claim == own:
                continue
            for slug, stance in knowledge.claim_tags[claim].items():
                if slug in tags and {stance, tags[slug]} == {"affirms", "denies"}:
                    stance_votes += 1
                elif slug in tags and stance == tags[slug]:
                    stance_votes -= 0.5
        out[i, 3] = max(-1.0, min(1.0, stance_votes))
        relation_votes = 0.0
        for claim, sign, relation in knowledge.judged.get(row, ()):
            if claim != own and sign > 0 and relation and similarity is not None:
                relation_votes += (1 if relation == OPPOSITE else -1) * max(float(similarity[claim]), 0.0)
        out[i, 4] = max(-1.0, min(1.0, relation_votes))
        same_side, other_side = [], []
        for slug, stance in tags.items():
            other = {"affirms": "denies", "denies": "affirms"}.get(stance)
            if (slug, stance) in knowledge.prototypes and other and (slug, other) in knowledge.prototypes:
                same_side.append(knowledge.prototypes[(slug, stance)])
                other_side.append(knowledge.prototypes[(slug, other)])
        if same_side:
            vector = index.vectors[row]
            out[i, 5] = float(max(vector @ np.array(other_side).T) - max(vector @ np.array(same_side).T))
    return out


def suggest(
    index: ProjectIndex,
    query: ClaimQuery,
    encoder: Encoder,
    *,
    knowledge: CompiledKnowledge | None = None,
    reranker: Reranker | None = None,
    relations: RelationModel | None = None,
    limit: int = 10,
    query_vectors: np.ndarray | None = None,
) -> list[Suggestion]:
    """The best `limit` passages for a claim, no two overlapping, each with a relation when sure. A claim's
    vectors (`encode_query`) can be stored with it and passed as `query_vectors`, sparing the model call."""
    found = candidates(index, query, encoder, knowledge, query_vectors=query_vectors)
    scores = (reranker or Reranker()).score(found.features)
    order = pick(index, found.rows, scores, limit)
    chosen = Candidates(found.rows[order], found.features[order], found.query_vector, query)
    model = relations or RelationModel()
    probabilities = model.probability(relation_features(index, chosen, knowledge))
    own = _own(knowledge, query) if knowledge is not None else None
    results = []
    for i, position in enumerate(order):
        row = int(found.rows[position])
        covering = knowledge.covering.get(row, ()) if knowledge is not None else ()
        claim = next((knowledge.claim_keys[c] for c in covering if c != own), None)
        results.append(
            Suggestion(
                paper=index.papers[index.passage_paper[row]],
                start=int(index.passage_start[row]),
                end=int(index.passage_end[row]),
                exact=index.exact(row) if index.texts else "",
                score=round(float(scores[position]), 6),
                relation=model.relation(float(probabilities[i])),
                claim=claim,
            )
        )
    return results


def pick(index: ProjectIndex, rows: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """Positions of the best-scoring rows, skipping any that overlaps one already taken. Ties go to the
    earlier passage, so the order is deterministic."""
    order = np.lexsort((rows, -scores))
    taken: list[int] = []
    spans: list[tuple[int, int, int]] = []
    for position in order.tolist():
        row = rows[position]
        paper, start, end = index.passage_paper[row], index.passage_start[row], index.passage_end[row]
        if any(p == paper and s < end and start < e for p, s, e in spans):
            continue
        taken.append(position)
        spans.append((paper, start, end))
        if len(taken) == limit:
            break
    return taken
