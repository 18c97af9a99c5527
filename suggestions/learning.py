"""The project's re-ranker and relation model, fitted from what its analysts judged (links, accepted and rejected
suggestions), as the core's benchmark does: for each judged claim, its candidates (its own judgements never
count as evidence for it) labelled by the passages accepted for it. Until a project has judged enough claims,
the core's hand-set weights are used.

Fitting runs one `candidates()` per judged claim (tens of milliseconds each on a large project), so it is done
once per state of the project's knowledge, in a background thread of the process (`SUGGEST_IN_BACKGROUND`), and
a request meanwhile uses the project's last fitted models. Only the core's public functions are called.
"""

import logging
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from annotations.suggest import ClaimQuery, Knowledge, ProjectIndex, RelationModel, Reranker
from annotations.suggest.knowledge import OPPOSITE, CompiledKnowledge, Locator
from annotations.suggest.ranking import Candidates, candidates, relation_features

from .indexing import current_encoder

log = logging.getLogger(__name__)

MIN_CLAIMS = 3  # judged claims before the project's own weights replace the hand-set ones
MAX_CLAIMS = 200  # the most recently judged claims a fit uses (time grows with them)


@dataclass(frozen=True)
class Models:
    reranker: Reranker | None = None  # None: the core's defaults
    relations: RelationModel | None = None
    claims: int = 0  # judged claims it was fitted on


def judged_claims(knowledge: Knowledge) -> list[Hashable]:
    """Claims with at least one accepted passage, the most recently judged last, at most MAX_CLAIMS."""
    order = list(dict.fromkeys(j.claim for j in knowledge.judgements if j.accepted))
    return order[-MAX_CLAIMS:]


def fit(index: ProjectIndex, compiled: CompiledKnowledge, knowledge: Knowledge, queries: dict) -> Models:
    """Fit both models from the judged claims whose query is in `queries` (claim key -> ClaimQuery)."""
    encoder = current_encoder()
    locator = Locator(index)
    accepted: dict[Hashable, list] = {}
    for j in knowledge.judgements:
        if j.accepted and j.claim in queries:
            accepted.setdefault(j.claim, []).append(j)
    if len(accepted) < MIN_CLAIMS:
        return Models()
    ranking, relation_x, relation_y = [], [], []
    for key, judged in accepted.items():
        found = candidates(index, queries[key], encoder, compiled)
        on_match: dict[int, str | None] = {}
        for j in judged:
            for row in locator.overlapping(j.paper, j.start, j.end):
                on_match.setdefault(row, j.relation)
        labels = np.array([row in on_match for row in found.rows.tolist()], dtype=float)
        ranking.append((found.features, labels))
        hit = np.array([on_match.get(row) is not None for row in found.rows.tolist()], dtype=bool)
        if hit.any():
            subset = Candidates(found.rows[hit], found.features[hit], found.query_vector, found.query)
            relation_x.append(relation_features(index, subset, compiled))
            relation_y.append(np.array([on_match[r] == OPPOSITE for r in subset.rows.tolist()], dtype=float))
    relations = RelationModel.fit(np.vstack(relation_x), np.concatenate(relation_y)) if relation_x else None
    return Models(Reranker.fit(ranking), relations, len(accepted))


_FITTED: dict[tuple, Models] = {}
_LATEST: dict[int, Models] = {}
_RUNNING: set[tuple] = set()
_LOCK = threading.Lock()


def project_models(
    project_id: int,
    key: tuple,
    index: ProjectIndex,
    compiled: CompiledKnowledge,
    knowledge: Knowledge,
    read_queries: Callable[[list[Hashable]], dict[Hashable, ClaimQuery]],
) -> Models:
    """The models fitted for this state of the knowledge (`key`); while they are being fitted in the background,
    the project's last ones (or the defaults). `read_queries` reads the judged claims' queries (in the request,
    so the thread needs no database)."""
    with _LOCK:
        found = _FITTED.get(key)
        if found is not None:
            return found
    claims = judged_claims(knowledge)
    if len(claims) < MIN_CLAIMS:
        return Models()
    queries = read_queries(claims)

    def work() -> Models:
        try:
            models = fit(index, compiled, knowledge, queries)
        except Exception:  # a failed fit leaves the defaults (or the last models), it must not fail suggestions
            log.exception("Could not fit the suggestion models of project %s", project_id)
            models = Models()
        with _LOCK:
            if len(_FITTED) > 64:
                _FITTED.clear()
            _FITTED[key] = models
            _LATEST[project_id] = models
            _RUNNING.discard(key)
        return models

    if not getattr(settings, "SUGGEST_IN_BACKGROUND", True):
        return work()
    with _LOCK:
        if key in _RUNNING:
            return _LATEST.get(project_id, Models())
        _RUNNING.add(key)
    threading.Thread(target=work, name=f"fit-suggestions-{project_id}", daemon=True).start()
    return _LATEST.get(project_id, Models())


def forget_models() -> None:
    with _LOCK:
        _FITTED.clear()
        _LATEST.clear()
        _RUNNING.clear()
