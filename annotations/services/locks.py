"""Row locks taken in one order everywhere (papers, then claims, then links), so no two commands deadlock."""

from collections.abc import Iterable
from uuid import UUID

from ..models import Claim, Link, Paper
from ..precompiled import Precompiled

# One lock order everywhere, so that no two commands wait for each other: papers (by id), then claims (by id),
# then links (by id). A revision locks its paper and then every claim on it; a command that locked a claim
# first and its paper second would deadlock with it.


# Every claim create locks its paper: compiled once (annotations.precompiled).
_papers_locked = Precompiled(lambda pk: Paper.objects.select_for_update().filter(pk=pk), 2_147_000_001)


def _lock_paper(paper_id: int) -> Paper:
    """Lock one paper and read it afresh, its text included."""
    found = _papers_locked(paper_id)
    if not found:
        raise Paper.DoesNotExist("Paper matching query does not exist.")
    return found[0]


def _lock_claims(claim_ids: Iterable[UUID], *, texts: bool = True) -> dict[UUID, Claim]:
    """Lock the papers of these claims, then the claims; the claims by id (each with its locked paper, without
    its text unless `texts`: only a command that anchors needs it)."""
    ids = list(set(claim_ids))
    paper_ids = Claim.objects.filter(pk__in=ids).values("paper_id")
    locked = Paper.objects.select_for_update().filter(pk__in=paper_ids).order_by("pk")
    papers = {paper.pk: paper for paper in (locked if texts else locked.defer("text"))}
    claims = {}
    for claim in Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        claim.paper = papers[claim.paper_id]
        claims[claim.pk] = claim
    return claims


def _lock_claim(claim_id: UUID) -> Claim:
    claim = _lock_claims([claim_id]).get(UUID(str(claim_id)))
    if claim is None:
        raise Claim.DoesNotExist("Claim matching query does not exist.")
    return claim


def _lock_links(link_ids: Iterable[UUID]) -> list[Link]:
    """Lock the papers and claims at both ends of these links, then the links; the links by creation."""
    ids = list(link_ids)
    ends = Link.objects.filter(pk__in=ids).values_list("source_id", "target_id")
    claims = _lock_claims(claim_id for pair in ends for claim_id in pair)
    links = list(Link.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for link in links:
        link.source, link.target = claims[link.source_id], claims[link.target_id]
    return sorted(links, key=lambda link: (link.created_at, str(link.pk)))


def _lock_link(link_id: UUID) -> Link:
    links = _lock_links([link_id])
    if not links:
        raise Link.DoesNotExist("Link matching query does not exist.")
    return links[0]
