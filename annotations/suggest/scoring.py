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
)
DEFAULT_WEIGHTS = {
    "bm25": 1.0, "cos_quote": 2.0, "cos_statement": 2.0, "cos_tags": 0.5, "rrf": 1.0, "rank_bm25": 0.0, "rank_dense": 0.0, "tag_passages": 1.0, "judged_tags": 1.0,
    "prototype": 1.5, "neighbours": 3.0, "covering_tags": 1.0, "window": -0.3,
}  # fmt: skip


@dataclass
class Reranker:
    """A linear score over FEATURES; `fit` learns it by L2-regularised logistic regression (Newton steps)."""

    weights: np.ndarray = field(default_factory=lambda: np.array([DEFAULT_WEIGHTS[f] for f in FEATURES]))
    bias: float = 0.0

    def score(self, features: np.ndarray) -> np.ndarray:
        return within_query(features) @ self.weights + self.bias

    @classmethod
    def fit(cls, per_query: list[tuple[np.ndarray, np.ndarray]], l2: float = 1.0) -> "Reranker":
        """Pairwise (RankNet-style) logistic regression: within each training claim, every true match
        against every wrong candidate; only the order within a claim's list matters."""
        differences = []
        for features, labels in per_query:
            scaled = within_query(features)
            positives = scaled[labels > 0]
            negatives = scaled[labels <= 0]
            if not len(positives) or not len(negatives):
                continue
            differences.append((positives[:, None, :] - negatives[None, :, :]).reshape(-1, scaled.shape[1]))
        if not differences:
            return cls()
        pairs = np.vstack(differences)
        x = np.vstack([pairs, -pairs])
        y = np.concatenate([np.ones(len(pairs)), np.zeros(len(pairs))])
        weights, _ = _logistic(x, y, l2, 30, balance=False)
        return cls(weights, 0.0)


# Scores that mean the same for every claim stay as they are; the others are compared within the claim's
# candidates (a cosine of 0.5 is high for one claim and low for another).
ABSOLUTE = frozenset({"neighbours", "covering_tags", "judged_tags", "window", "rrf", "rank_bm25", "rank_dense"})


def within_query(features: np.ndarray) -> np.ndarray:
    """Relative features as z-scores within the claim's candidates; absolute ones as they are."""
    relative = np.array([f not in ABSOLUTE for f in FEATURES])
    out = features.astype(np.float64).copy()
    if len(out) > 1:
        block = out[:, relative]
        out[:, relative] = (block - block.mean(axis=0)) / np.maximum(block.std(axis=0), 1e-6)
    return out


def _logistic(
    x: np.ndarray, y: np.ndarray, l2: float, iterations: int, balance: bool = True
) -> tuple[np.ndarray, float]:
    x1 = np.hstack([x, np.ones((len(x), 1))])
    positives = max(float(y.sum()), 1.0)
    # Rare positives weigh as much as all negatives together.
    sample = np.where(y > 0, (len(y) - positives) / positives, 1.0) if balance else np.ones(len(y))
    w = np.zeros(x1.shape[1])
    penalty = np.full(x1.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x1 @ w, -30, 30)))
        gradient = x1.T @ (sample * (p - y)) + penalty * w
        hessian = (x1 * (sample * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty + 1e-6)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w[:-1], float(w[-1])


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
