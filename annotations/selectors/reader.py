"""The reader page's claims: one small immutable row per claim, in reading order, in one query."""

from typing import NamedTuple

from django.db.models import Aggregate, CharField, OuterRef, Subquery
from django.db.models.functions import Substr

from ..models import Claim, Coding, Paper, User
from .claims import claim_visibility
from .uuid_text import as_text, dashed

# The panel lists an unplaced claim by its quote's first code points (one more is read: the excerpt's ellipsis).
QUOTE_EXCERPT = 80


class ReaderClaim(NamedTuple):
    """A claim as the reader page paints and lists it: plain values, no model instances."""

    id: str
    start: int
    end: int
    status: str
    stance: str
    statement: str
    speaker: str
    # The quote's first QUOTE_EXCERPT + 1 code points only (the panel lists unplaced claims by them).
    exact: str
    created_by: str
    tags: tuple[str, ...]


class SlugList(Aggregate):
    """Slugs joined by commas (which a slug never holds): GROUP_CONCAT, STRING_AGG on PostgreSQL."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="STRING_AGG", template="%(function)s(%(expressions)s, ',')")


def claims_for_reader(user: User, paper: Paper) -> list[ReaderClaim]:
    """The claims of `paper` that `user` may see, in text order, in one query whatever their number (a paper
    may hold thousands: plain rows, each with its tags gathered by the database). Ids come as text and quotes
    as their first words: with thousands of claims, UUID objects, a row per tag and whole quotes the page
    never shows cost more than the rest of the page (bench/reader.py)."""
    tags = (
        Coding.objects.filter(claim_id=OuterRef("pk"))
        .order_by()
        .values("claim_id")
        .annotate(slugs=SlugList("tag__slug"))
        .values("slugs")
    )
    rows = (
        Claim.objects.filter(claim_visibility(user, project=paper.project_id), paper=paper)
        .order_by("start", "end", "id")
        .annotate(text_id=as_text("id"), excerpt=Substr("exact", 1, QUOTE_EXCERPT + 1), slugs=Subquery(tags))
        .values_list(
            "text_id", "start", "end", "status", "stance", "statement", "speaker", "excerpt", "created_by__username",
            "slugs",
        )
    )  # fmt: skip
    return [
        ReaderClaim(dashed(row[0]), *row[1:9], tags=tuple(sorted(row[9].split(","))) if row[9] else ()) for row in rows
    ]
