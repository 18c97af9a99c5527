"""Where coding rounds meet curation and the analyses: the two questions the rest of the code asks about rounds,
answered in one place so that the rounds' own rules plug in here.

- `closed_round_papers(project)`: the papers whose independent coding round is closed. On them the analyses
  (map, compare, networks) and the exports count the curated layer only (approved claims and links), even
  when pending material is asked for: the analysts' uncurated versions are several readings of one passage.
- `curated_layer(project)`: those papers read once, to leave the uncurated claims and links out of one answer.
- `curation_coders(paper)`: the analysts whose claims the curation page aligns (the round's analysts); None
  when the paper has no round: then every analyst with a claim on the paper.

The answers come from the rounds app (`rounds.selectors`). Without coding rounds, no paper has a closed round
and every analyst's claims are curated.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from ..models import Claim, Link, Paper, Status


def closed_round_papers(project) -> QuerySet[Paper] | None:
    """The papers of `project` under a closed coding round (a queryset usable as a subquery), or None when there
    are none, so that callers add no condition at all."""
    # Imported here: the rounds app builds on annotations, not the other way round.
    from rounds.selectors import closed_round_papers as papers_of_closed_rounds

    return papers_of_closed_rounds(project)


def curation_coders(paper: Paper) -> list[int] | None:
    """The user ids of the analysts of `paper`'s round, or None: no round, every analyst's claims."""
    from rounds.selectors import round_coders

    return round_coders(paper)


@dataclass(frozen=True)
class CuratedLayer:
    """The papers under a closed coding round (of a project; of every project when None), read once (one query)
    for both the claims and the links of one answer: on those papers only approved claims and links, the
    curated layer, count. `closed` is None when no round was ever closed: then nothing is left out."""

    closed: QuerySet[Paper] | None

    def claims(self, claims: QuerySet[Claim]) -> QuerySet[Claim]:
        """`claims` without the uncurated ones on papers under a closed round."""
        if self.closed is None:
            return claims
        return claims.exclude(Q(paper__in=self.closed) & ~Q(status=Status.APPROVED))

    def links(self, links: QuerySet[Link]) -> QuerySet[Link]:
        """`links` without the unapproved ones that touch a paper under a closed round."""
        if self.closed is None:
            return links
        touching = Q(source__paper__in=self.closed) | Q(target__paper__in=self.closed)
        return links.exclude(touching & ~Q(status=Status.APPROVED))


def curated_layer(project=None) -> CuratedLayer:
    return CuratedLayer(closed_round_papers(project))
