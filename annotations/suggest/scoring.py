"""The suggestions' two linear models: the re-ranker's score over FEATURES and the relation model (same /
opposite) over RELATION_FEATURES, with their hand-set weights and their fitting by L2-regularised logistic
regression. Pure numpy; ranking.py builds the features and calls them.
"""

import re
from dataclasses import dataclass, field

import numpy as np

from .knowledge import OPPOSITE, SAME

FEATURES = (
    "bm25",  # BM25 / the best BM25 among candidates
    "cos_quote",
    "cos_statement",
    "cos_tags",
    "rrf",  # reciprocal-rank fusion of BM25 and embedding ranks, x RRF_K
    "rank_bm25",  # RRF_K / (RRF_K + rank) in the BM25 list alone
    "rank_dense",  # the same in the embedding list alone
    "prototype",  # cosine to the mean of passages analysts tied to the claim's tags
    "neighbours",  # accepted for similar claims (+), rejected (-), weighted by claim similarity
    "covering_tags",  # an existing claim on the passage shares the query's tags
    "judged_tags",  # the passage was accepted for another claim that shares the query's tags
    "tag_passages",  # nearest passage analysts accepted for another claim sharing one of the query's tags
    "window",  # two sentences rather than one
    "bm25_quote",  # BM25 of the quote alone / its best among candidates
    "bm25_statement",  # the same for the statement
    "bm25_tags",  # the same for the tags' names and descriptions
    "cos_max",  # the better of the cosines with the quote and with the statement
    "other_side",  # an existing claim or judgement puts the passage on the other side of a shared tag
)
# Defaults for a project that has judged nothing yet. The first block is what `Reranker.fit` learns on the
# whole development set (bench/suggest_devset.json) with no project knowledge; the bench's held-out figure for
# it learns them on four fifths and ranks the rest. The knowledge features are set by hand, near the mean of
# what the folds learn (without the negative weights that only offset collinear features); once a project
# has judgements the re-ranker is refit from them.
DEFAULT_WEIGHTS = {
    "bm25": -0.09, "cos_quote": 0.37, "cos_statement": 0.15, "cos_tags": 0.29, "rrf": 0.15, "rank_bm25": -0.43,
    "rank_dense": 0.57, "window": 0.03, "bm25_quote": 0.42, "bm25_statement": 0.53, "bm25_tags": 0.75,
    "cos_max": 0.02,
    "prototype": 1.5, "neighbours": 0.5, "covering_tags": 0.3, "judged_tags": 2.0, "tag_passages": 0.0,
    "other_side": 0.5,
}  # fmt: skip


@dataclass
class Reranker:
    """A linear score over FEATURES; `fit` learns it by L2-regularised logistic regression (Newton steps)."""

    weights: np.ndarray = field(default_factory=lambda: np.array([DEFAULT_WEIGHTS[f] for f in FEATURES]))
    bias: float = 0.0

    def score(self, features: np.ndarray) -> np.ndarray:
        return within_query(features) @ self.weights + self.bias

    @classmethod
    def fit(cls, per_query: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.1) -> "Reranker":
        """Pairwise (RankNet-style) logistic regression: within each training claim, every true match
        against every wrong candidate; only the order within a claim's list matters. Each claim weighs the
        same (its pairs share a weight of 1), so that claims with many matches do not drown the others."""
        differences, weights = [], []
        for features, labels in per_query:
            scaled = within_query(features)
            positives = scaled[labels > 0]
            negatives = scaled[labels <= 0]
            if not len(positives) or not len(negatives):
                continue
            pairs = (positives[:, None, :] - negatives[None, :, :]).reshape(-1, scaled.shape[1])
            differences.append(pairs)
            weights.append(np.full(len(pairs), 1.0 / len(pairs)))
        if not differences:
            return cls()
        pairs = np.vstack(differences)
        x = np.vstack([pairs, -pairs])
        y = np.concatenate([np.ones(len(pairs)), np.zeros(len(pairs))])
        sample = np.concatenate(weights * 2)
        weights, _ = _logistic(x, y, l2, 30, sample=sample, intercept=False)
        return cls(weights, 0.0)


# Scores that mean the same for every claim stay as they are; the others are compared within the claim's
# candidates (a cosine of 0.5 is high for one claim and low for another).
ABSOLUTE = frozenset(
    {
        "neighbours", "covering_tags", "judged_tags", "window", "rrf", "rank_bm25", "rank_dense",
        "other_side",
    }
)  # fmt: skip


def within_query(features: np.ndarray) -> np.ndarray:
    """Relative features as z-scores within the claim's candidates; absolute ones as they are."""
    relative = np.array([f not in ABSOLUTE for f in FEATURES])
    out = features.astype(np.float64).copy()
    if len(out) > 1:
        block = out[:, relative]
        out[:, relative] = (block - block.mean(axis=0)) / np.maximum(block.std(axis=0), 1e-6)
    return out


def _logistic(
    x: np.ndarray,
    y: np.ndarray,
    l2: float,
    iterations: int,
    sample: np.ndarray | None = None,
    intercept: bool = True,
) -> tuple[np.ndarray, float]:
    x1 = np.hstack([x, np.ones((len(x), 1))]) if intercept else x
    if sample is None:
        # Rare positives weigh as much as all negatives together.
        positives = max(float(y.sum()), 1.0)
        sample = np.where(y > 0, (len(y) - positives) / positives, 1.0)
    w = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], l2)
    if intercept:
        penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x1 @ w, -30, 30)))
        gradient = x1.T @ (sample * (p - y)) + penalty * w
        hessian = (x1 * (sample * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return (w[:-1], float(w[-1])) if intercept else (w, 0.0)


# Relation: cues that a passage says the opposite of the claim.
NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|without|cannot|can't|won't|isn't|doesn't|don't|fail(?:ed|s)?|"
    r"den(?:y|ies|ied)|reject(?:s|ed)?|oppos(?:e|es|ed)|against|non-?\w+|little|less|lack)\b",
    re.IGNORECASE,
)
CONTRAST = re.compile(
    r"\b(?:however|but|although|though|despite|instead|rather|contrary|yet|whereas|suspicious|challenge|"
    r"problem|threat|rise|increas\w*|difficult|critical)\b",
    re.IGNORECASE,
)
RELATION_FEATURES = (
    "negation_mismatch",
    "contrast",
    "denies",
    "covering_stance",
    "neighbour_relation",
    "prototype_gap",
)
DEFAULT_RELATION_WEIGHTS = {
    "negation_mismatch": 0.6,
    "contrast": 0.3,
    "denies": 0.3,
    "covering_stance": 2.0,
    "neighbour_relation": 3.0,
    "prototype_gap": 8.0,
}
RELATION_BIAS = -1.6
UNSURE = 0.15  # |p(opposite) - 0.5| below this: relation null


@dataclass
class RelationModel:
    weights: np.ndarray = field(
        default_factory=lambda: np.array([DEFAULT_RELATION_WEIGHTS[f] for f in RELATION_FEATURES])
    )
    bias: float = RELATION_BIAS

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-np.clip(features @ self.weights + self.bias, -30, 30)))

    def relation(self, probability: float) -> str | None:
        if abs(probability - 0.5) < UNSURE:
            return None
        return OPPOSITE if probability > 0.5 else SAME

    @classmethod
    def fit(cls, features: np.ndarray, labels: np.ndarray, l2: float = 1.0) -> "RelationModel":
        if len(set(labels.tolist())) < 2:
            return cls()
        return cls(*_logistic(features, labels, l2, 30))
