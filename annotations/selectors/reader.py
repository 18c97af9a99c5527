"""The reader page's claims: one small frozen row per claim, in reading order."""

from dataclasses import dataclass

from ..models import Claim, Coding, Paper, User
from .claims import claim_visibility


@dataclass(frozen=True)
class ReaderClaim:
    """A claim as the reader page draws and lists it: plain values, no model instances."""

    id: str
    start: int
    end: int
    status: str
    stance: str
    statement: str
    speaker: str
    exact: str
    created_by: str
    tags: tuple[str, ...]


def claims_for_reader(user: User, paper: Paper) -> list[ReaderClaim]:
    """The claims of `paper` that `user` may see, in text order, in two queries whatever their number
    (a paper may hold thousands: plain rows, not model instances with a prefetch each)."""
    visible = Claim.objects.filter(claim_visibility(user, project=paper.project_id), paper=paper)
    tags: dict = {}
    through = Coding.objects.filter(claim_id__in=visible.values("pk"))
    for claim_id, slug in through.order_by("tag__slug").values_list("claim_id", "tag__slug"):
        tags.setdefault(claim_id, []).append(slug)
    rows = visible.order_by("start", "end", "id").values_list(
        "id", "start", "end", "status", "stance", "statement", "speaker", "exact", "created_by__username"
    )
    return [ReaderClaim(str(row[0]), *row[1:], tags=tuple(tags.get(row[0], ()))) for row in rows]
