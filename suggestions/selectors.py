"""Reads for suggestions: a claim as the ranking's query, what the project knows as the user may see it, the
passages suggested for a claim and the links suggested between claims.

Visibility: a claim is asked about only if the user may see it; the passages come from its project's papers
alone (every member may read them); the project's knowledge — claims, links, judgements — is what the user may
see, so an existing claim named on a passage is always one they may see.
"""

import threading
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch

from annotations.models import Claim, Coding, Link, Status, User
from annotations.selectors import (
    claim_visibility,
    codings_with_tags,
    independent_work_visibility,
    link_visibility,
)
from annotations.suggest import (
    ClaimQuery,
    Judgement,
    Knowledge,
    KnownClaim,
    ProjectIndex,
    Suggestion,
    Tag,
    compile_knowledge,
    suggest,
)
from annotations.suggest.knowledge import OPPOSITE, SAME, CompiledKnowledge

from .claim_vectors import query_vectors_store, stored_query_vectors
from .indexing import current_encoder, project_state
from .learning import project_models
from .models import PassageJudgement
from .pgvector import searched_by_database

# Link relations as the ranking's relations: a claim that supports or restates another says the same thing.
LINK_RELATION = {Link.Relation.SUPPORTS: SAME, Link.Relation.RESTATES: SAME, Link.Relation.CONFLICTS: OPPOSITE}
MAX_K = 50


def claim_for_suggestions(user: User, claim_id: UUID) -> Claim:
    """The claim, if `user` may see it and it stands on its paper (an orphaned claim has no place to compare);
    Claim.DoesNotExist otherwise (a 404, nothing said)."""
    return (
        Claim.objects.filter(claim_visibility(user))
        .exclude(status=Status.ORPHANED)
        .select_related("paper__project")
        .defer("paper__text")
        .prefetch_related(Prefetch("codings", queryset=Coding.objects.select_related("tag")))
        .get(pk=claim_id)
    )


def _claims_with_tags(ids) -> list[Claim]:
    return list(
        Claim.objects.filter(pk__in=ids)
        .only("id", "paper_id", "start", "end", "exact", "statement")
        .prefetch_related(Prefetch("codings", queryset=Coding.objects.select_related("tag")))
    )


def claim_query(claim: Claim, authors: frozenset) -> ClaimQuery:
    """Everything the analyst gave: quote, statement, tags (name, description, stance); and the paper's
    `authors`, whose other papers are not suggested."""
    tags = tuple(
        Tag(slug=c.tag.slug, name=c.tag.name, description=c.tag.description, stance=c.stance)
        for c in sorted(claim.codings.all(), key=lambda c: c.tag.slug)
    )
    return ClaimQuery(
        paper=claim.paper_id,
        start=claim.start,
        end=claim.end,
        quote=claim.exact,
        statement=claim.statement,
        tags=tags,
        authors=authors,
        key=claim.pk,
    )


def passages_judged_visible(user: User, project=None):
    """Which passage judgements `user` may count: in independent mode, not the others' on a paper under an open
    round (their reading of a passage there is their independent work)."""
    return independent_work_visibility(user, papers=("paper",), by="judged_by", project=project)


def _known_text(claim: Claim) -> str:
    return f"{claim.exact} {claim.statement}".strip()


def project_knowledge(
    user: User, project_id: int, *, texts: dict[int, str] | None = None, versions: dict[int, str] | None = None
) -> Knowledge:
    """The project's claims, links and passage judgements that `user` may see, as the ranking's Knowledge. With the
    index's `texts` and their `versions`, a passage judged on an older text is placed by its words."""
    claims = (
        Claim.objects.filter(claim_visibility(user, project=project_id))
        .exclude(status=Status.ORPHANED)
        .only("id", "paper_id", "start", "end", "exact", "statement")
        .prefetch_related(codings_with_tags())
        .order_by("id")
    )
    known = [
        KnownClaim(
            key=c.pk,
            paper=c.paper_id,
            start=c.start,
            end=c.end,
            text=_known_text(c),
            tags=tuple((coding.tag.slug, coding.stance) for coding in c.codings.all()),
        )
        for c in claims
    ]
    visible = {c.key for c in known}
    judgements = []
    links = (
        Link.objects.filter(link_visibility(user, project=project_id))
        .exclude(status=Status.REJECTED)
        .select_related("source", "target")
        .only(*[f"{end}__{f}" for end in ("source", "target") for f in ("id", "paper_id", "start", "end")], "relation")
        .order_by("id")
    )
    for link in links:
        relation = LINK_RELATION.get(link.relation)
        for a, b in ((link.source, link.target), (link.target, link.source)):
            judgements.append(Judgement(a.pk, b.paper_id, b.start, b.end, accepted=True, relation=relation))
    passages = PassageJudgement.objects.filter(passages_judged_visible(user, project_id), claim_id__in=visible)
    passages = passages.order_by("id")
    fields = ("claim_id", "paper_id", "start", "end", "exact", "text_sha256", "accepted", "relation")
    for claim_id, paper_id, start, end, exact, sha, accepted, relation in passages.values_list(*fields):
        if texts is not None and versions is not None and versions.get(paper_id) != sha:
            # Judged on an older text: found again by its words, else left out (its offsets point elsewhere now).
            start = texts.get(paper_id, "").find(exact)
            if start < 0:
                continue
            end = start + len(exact)
        judgements.append(Judgement(claim_id, paper_id, start, end, accepted=accepted, relation=relation or None))
    return Knowledge(known, judgements)


# Per project, the last few compiled knowledges (users see different claims) of its current index only: each
# holds the index's passage vectors, so an older index must not be kept alive by them.
_COMPILED: dict[int, dict[tuple, CompiledKnowledge]] = {}
_COMPILED_LOCK = threading.Lock()
COMPILED_PER_PROJECT = 8


def knowledge_key(generation: int, knowledge: Knowledge) -> tuple:
    """What compiled knowledge and fitted models are kept by: the index's generation and the knowledge."""
    return (generation, tuple(knowledge.claims), tuple(knowledge.judgements))


def compiled_knowledge(
    project_id: int, index: ProjectIndex, generation: int, knowledge: Knowledge
) -> CompiledKnowledge:
    """Knowledge placed on the index, kept for the next request that sees the same (claims are encoded once)."""
    key = knowledge_key(generation, knowledge)
    with _COMPILED_LOCK:
        found = _COMPILED.get(project_id, {}).get(key)
    if found is None:
        found = compile_knowledge(knowledge, index, current_encoder())
        with _COMPILED_LOCK:
            kept = {k: v for k, v in _COMPILED.get(project_id, {}).items() if k[0] == generation}
            while len(kept) >= COMPILED_PER_PROJECT:
                kept.pop(next(iter(kept)))
            kept[key] = found
            _COMPILED[project_id] = kept
    return found


@dataclass(frozen=True)
class PassageSuggestion:
    paper: str  # slug
    start: int
    end: int
    exact: str
    score: float
    relation: str | None
    claim: UUID | None


def _judged_for(
    user: User, claim: Claim, knowledge: Knowledge, versions: dict[int, str]
) -> dict[int, list[tuple[int, int, str]]]:
    """Passages already judged for this claim (accepted, rejected, or the other end of one of its links), by
    paper: (start, end, exact); they are not suggested again, even after a revision moved them (then they are
    recognised by their words alone: start and end are -1)."""
    judged: dict[int, list[tuple[int, int, str]]] = {}
    mine = passages_judged_visible(user, claim.paper.project_id)
    rows = PassageJudgement.objects.filter(mine, claim=claim).values_list(
        "paper_id", "start", "end", "exact", "text_sha256"
    )
    for paper_id, start, end, exact, sha in rows:
        current = versions.get(paper_id) == sha
        judged.setdefault(paper_id, []).append((start, end, exact) if current else (-1, -1, exact))
    for j in knowledge.judgements:
        if j.claim == claim.pk and j.accepted:
            judged.setdefault(j.paper, []).append((j.start, j.end, ""))
    return judged


def _is_judged(found: Suggestion, judged: dict[int, list[tuple[int, int, str]]]) -> bool:
    for start, end, exact in judged.get(found.paper, ()):
        if exact and exact == found.exact:
            return True
        if start < 0:
            continue
        overlap = min(end, found.end) - max(start, found.start)
        if overlap * 2 >= max(min(end - start, found.end - found.start), 1):
            return True
    return False


def passage_suggestions(user: User, claim: Claim, k: int = 10) -> list[PassageSuggestion]:
    """The `k` passages of other authors' papers of the claim's project most likely to say the same or the
    opposite, none already judged for the claim."""
    project_id = claim.paper.project_id
    state = project_state(project_id)
    index = state.index
    knowledge = project_knowledge(user, project_id, texts=index.texts, versions=state.versions)
    compiled = compiled_knowledge(project_id, index, state.generation, knowledge)

    def read_queries(ids: list) -> dict:
        return {c.pk: claim_query(c, state.authors.get(c.paper_id, frozenset())) for c in _claims_with_tags(ids)}

    models = project_models(
        project_id, knowledge_key(state.generation, knowledge), index, compiled, knowledge, read_queries
    )
    judged = _judged_for(user, claim, knowledge, state.versions)
    # Passages of papers revised since the index was built (it is being rebuilt) are left out: more are asked for.
    excess = sum(len(spans) for spans in judged.values()) + (k if state.stale else 0)
    query = claim_query(claim, state.authors.get(claim.paper_id, frozenset()))
    vectors = stored_query_vectors(claim.pk, query)
    if vectors is None:  # made before vectors were stored, or edited since: the model, once
        vectors = query_vectors_store(claim.pk, query)
    searched = searched_by_database(
        index, encoder=current_encoder().name, versions=state.versions, generation=state.generation,
        authors=query.authors, stale=state.stale,
    )  # fmt: skip
    found = suggest(
        searched, query, current_encoder(), knowledge=compiled, reranker=models.reranker, relations=models.relations,
        limit=k + excess, query_vectors=vectors,
    )  # fmt: skip
    kept = [s for s in found if s.paper not in state.stale and not _is_judged(s, judged)][:k]
    return [
        PassageSuggestion(state.slugs[s.paper], s.start, s.end, s.exact, s.score, s.relation, s.claim) for s in kept
    ]
