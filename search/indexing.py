"""The one place the search index is written, called by every service that changes what it indexes:

- `paper_indexed(paper)`: a paper's passages and claims, all written again (a new paper: upload, import,
  load_corpus; a new text: a revision, which also moves and orphans claims);
- `claim_indexed(claim)`: one claim's entry, after it is created or its quote, statement, note or speaker edited
  (a create, an edit, a placement by hand);
- `papers_indexed(paper_ids)`: several papers at once (an import).

What the filters and visibility read (a claim's status, stance, tags, deletion; a paper's metadata and authors)
is not copied here: the search joins the live rows, so moderation, deletion, retagging and metadata edits need
no index write. The database keeps its full-text index in step with this table (see engines.py)."""

from collections.abc import Iterable

from annotations.models import Claim, Paper

from .models import SearchEntry
from .passages import passages

CLAIM_FIELDS = ("exact", "statement", "note", "speaker")
BATCH = 500


def claim_text(claim: Claim) -> str:
    """What is searched of a claim: its quote, statement, note and speaker, a line each."""
    return "\n".join(getattr(claim, name) or "" for name in CLAIM_FIELDS)


def _claim_entry(claim: Claim, project_id: int) -> SearchEntry:
    return SearchEntry(
        project_id=project_id, paper_id=claim.paper_id, claim_id=claim.pk, start=claim.start, end=claim.end,
        text=claim_text(claim),
    )  # fmt: skip


def claim_indexed(claim: Claim, *, new: bool = False) -> None:
    """The claim's entry, written (`new`: a claim just created) or written again from the claim in hand: one
    query."""
    if new:
        _claim_entry(claim, claim.paper.project_id).save()
        return
    written = SearchEntry.objects.filter(claim_id=claim.pk).update(
        paper_id=claim.paper_id, start=claim.start, end=claim.end, text=claim_text(claim)
    )
    if not written:
        _claim_entry(claim, claim.paper.project_id).save()


def paper_indexed(paper: Paper) -> None:
    """Every entry of `paper` written again from its current text and claims."""
    papers_indexed([paper.pk])


def papers_indexed(paper_ids: Iterable[int]) -> None:
    ids = sorted(set(paper_ids))
    if not ids:
        return
    SearchEntry.objects.filter(paper_id__in=ids).delete()
    projects = {}
    for paper in Paper.objects.filter(pk__in=ids).only("id", "project_id", "text").iterator(chunk_size=10):
        projects[paper.pk] = paper.project_id
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(project_id=paper.project_id, paper_id=paper.pk, start=s, end=e, text=paper.text[s:e])
                for s, e in passages(paper.text)
            ],
            batch_size=BATCH,
        )
    claims = Claim.objects.filter(paper_id__in=ids).only("id", "paper_id", "start", "end", *CLAIM_FIELDS)
    batch: list[SearchEntry] = []
    for claim in claims.order_by().iterator(chunk_size=2000):
        batch.append(_claim_entry(claim, projects[claim.paper_id]))
        if len(batch) == BATCH:
            SearchEntry.objects.bulk_create(batch)
            batch = []
    SearchEntry.objects.bulk_create(batch)
