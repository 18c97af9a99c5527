"""Link suggestions between existing claims of a project, as a user may see them (selector for the API and the
queue page)."""

from dataclasses import dataclass

import numpy as np

from annotations.models import Claim, Link, PaperAuthor, Status, User
from annotations.selectors import claim_visibility, codings_with_tags, independent_work_visibility

from .indexing import current_encoder
from .models import LinkJudgement
from .pairs import PairClaim, PairSuggestion, rank_pairs


@dataclass(frozen=True)
class LinkSuggestion:
    source: Claim
    target: Claim
    relation: str
    score: float
    why: tuple[str, ...]


def link_suggestions(user: User, project, k: int = 20) -> list[LinkSuggestion]:
    """Pairs of claims `user` may see in `project`, in papers sharing no author, not linked (by any live link,
    seen or not) and not judged, best first."""
    claims = list(
        Claim.objects.filter(claim_visibility(user, project=project))
        .exclude(status__in=[Status.ORPHANED, Status.REJECTED])
        .select_related("paper")
        .only(
            "id", "paper__id", "paper__slug", "paper__title", "start", "end", "exact", "statement", "stance", "status"
        )
        .prefetch_related(codings_with_tags())
        .order_by("id")
    )
    if len(claims) < 2:
        return []
    authors: dict[int, set] = {}
    for paper_id, author_id in PaperAuthor.objects.filter(paper__project=project).values_list("paper_id", "author_id"):
        authors.setdefault(paper_id, set()).add(author_id)
    live = (
        Link.objects.filter(source__paper__project=project, deleted_at__isnull=True)
        .exclude(status=Status.REJECTED)
        .values_list("source_id", "target_id")
    )
    # The others' judgements of pairs on papers under an open round are their independent work: not counted.
    theirs_hidden = independent_work_visibility(
        user, papers=("first__paper", "second__paper"), by="judged_by", project=project
    )
    judged = LinkJudgement.objects.filter(theirs_hidden, first__paper__project=project).values_list(
        "first_id", "second_id"
    )
    excluded = {frozenset(pair) for pair in live} | {frozenset(pair) for pair in judged}
    pairs = [
        PairClaim(
            key=c.pk,
            paper=c.paper_id,
            authors=frozenset(authors.get(c.paper_id, ())),
            tags={coding.tag.slug: coding.stance for coding in c.codings.all()},
        )
        for c in claims
    ]
    vectors = current_encoder().encode([f"{c.exact} {c.statement}".strip() for c in claims]).astype(np.float32)
    by_key = {c.pk: c for c in claims}
    found: list[PairSuggestion] = rank_pairs(pairs, vectors, excluded, k)
    return [LinkSuggestion(by_key[p.source], by_key[p.target], p.relation, p.score, p.why) for p in found]
