"""Paper revisions: a new text for a paper, its claims re-anchored, moved, orphaned or placed again."""

from collections import defaultdict
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from search import indexing as search_index
from suggestions.indexing import paper_index_soon

from .. import anchoring, history, reanchoring, roles
from ..errors import PermissionDenied, ValidationError
from ..models import AnchorState, Claim, HistoryAction, Paper, PaperRevision, Status, User, text_sha256
from ..pages import remap_pages
from ..textrules import check_fields
from .claims import _apply_anchor

SYSTEM_REVISER = "load_corpus"
# Fields a revision writes on the claims it moves fuzzily, orphans, or moves with a new context.
_REANCHOR_FIELDS = [
    "start", "end", "exact", "prefix", "suffix", "status", "status_before_orphaned",
    "anchor_state", "anchor_score", "anchor_revision", "version", "updated_at",
]  # fmt: skip


def system_reviser() -> User:
    """The inactive user to whom load_corpus attributes the revisions it makes when no --by is given."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_REVISER, defaults={"is_active": False, "first_name": "load_corpus (system)"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def normalize_text(text: str) -> str:
    """A text as the contract stores it: BOM removed, CRLF → LF, nothing else."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


@transaction.atomic
def paper_revise(*, paper: Paper, by: User, text: str, note: str = "") -> PaperRevision:
    """Replace the paper's text, keep the old one as a revision, and re-anchor every claim on it.

    All in one transaction: either the text, the revision and every claim change together, or nothing does.
    """
    if not roles.can_moderate(by, paper):
        raise PermissionDenied("Only moderators can revise a paper's text.")
    roles.ensure_writable(by, paper)
    return _paper_revise(paper=paper, by=by, text=text, note=note)


def _revision_detail(claim: Claim, outcome: reanchoring.Outcome) -> dict[str, Any]:
    return {
        "claim": str(claim.pk),
        "outcome": outcome.kind.value,
        "score": None if outcome.score is None else round(outcome.score, 4),
        "from": [claim.start, claim.end],
        "to": None if outcome.anchor is None else [outcome.anchor.start, outcome.anchor.end],
    }


def _paper_revise(*, paper: Paper, by: User, text: str, note: str) -> PaperRevision:
    # The paper row is the lock: claim writes on this paper lock it too, so none interleaves with this.
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
    text = normalize_text(text)
    check_fields({"text": text, "note": note})
    if not text.strip():
        raise ValidationError({"text": ["The new text is empty."]})
    if text == paper.text:
        raise ValidationError({"text": ["The new text is identical to the current one: there is nothing to revise."]})
    # Soft-deleted claims too: a revision deletes nothing, and a restored claim must stand on the right words.
    claims = list(
        Claim.objects.select_for_update()
        .filter(paper=paper)
        .only("id", "paper_id", *[name for name in _REANCHOR_FIELDS if name != "anchor_revision"], "anchor_revision_id")
        .order_by("start", "end", "id")
    )
    placed = [claim for claim in claims if claim.status != Status.ORPHANED]
    # The page ranges follow the text through the same diff as the claims (computed once for both).
    runs = reanchoring.unchanged_runs(paper.text, text) if paper.pages else None
    outcomes = reanchoring.reanchor(
        paper.text,
        text,
        [anchoring.Anchor(claim.start, claim.end, claim.exact, claim.prefix, claim.suffix) for claim in placed],
        runs=runs,
    )
    last = PaperRevision.objects.filter(paper=paper).order_by("-number").values_list("number", flat=True).first()
    revision = PaperRevision.objects.create(
        paper=paper,
        number=(last or 0) + 1,
        old_text=paper.text,
        old_text_sha256=paper.text_sha256,
        new_text_sha256=text_sha256(text),
        note=(note or "").strip(),
        created_by=by,
        already_orphaned=len(claims) - len(placed),
    )
    now = timezone.now()
    changed, details = [], []
    # Most claims of a revised paper only shift by the length of the edits before them: one UPDATE per
    # (shift, state) moves them all, where saving 10,000 rows one by one or through bulk_update's CASE
    # expressions takes tens of seconds.
    shifted: dict[tuple[int, str], list[UUID]] = defaultdict(list)
    Kind = reanchoring.Kind
    for claim, outcome in zip(placed, outcomes, strict=True):
        if outcome.kind == Kind.KEPT:
            revision.kept += 1
            continue
        if outcome.kind == Kind.ORPHANED:
            revision.orphaned += 1
            details.append(_revision_detail(claim, outcome))
            # The old quote and offsets stay as they were: they point into revision.old_text.
            claim.status_before_orphaned, claim.status = claim.status, Status.ORPHANED
            claim.anchor_state, claim.anchor_score = AnchorState.ORPHANED, outcome.score
        elif outcome.kind == Kind.FUZZY:
            revision.moved_fuzzy += 1
            details.append(_revision_detail(claim, outcome))
            _apply_anchor(claim, outcome.anchor)
            claim.anchor_state, claim.anchor_score = AnchorState.FUZZY, outcome.score
        else:
            revision.moved_exact += 1
            # Same words: a fuzzy or hand placement made earlier is still what the claim stands on.
            state = claim.anchor_state if claim.anchor_state in (AnchorState.FUZZY, AnchorState.MANUAL) else None
            moved = outcome.anchor
            if (moved.prefix, moved.suffix) == (claim.prefix, claim.suffix):
                shifted[(moved.start - claim.start, state or AnchorState.EXACT)].append(claim.pk)
                continue
            score = claim.anchor_score
            _apply_anchor(claim, moved)
            claim.anchor_state, claim.anchor_score = (state, score) if state else (AnchorState.EXACT, None)
        claim.anchor_revision = revision
        claim.version += 1
        claim.updated_at = now
        changed.append(claim)
    for (shift, state), ids in shifted.items():
        for chunk in range(0, len(ids), 500):
            Claim.objects.filter(pk__in=ids[chunk : chunk + 500]).update(
                start=F("start") + shift,
                end=F("end") + shift,
                anchor_state=state,
                anchor_revision=revision,
                version=F("version") + 1,
                updated_at=now,
            )
    Claim.objects.bulk_update(changed, _REANCHOR_FIELDS, batch_size=100)
    moved_ids = [claim.pk for claim in changed] + [pk for ids in shifted.values() for pk in ids]
    for chunk in range(0, len(moved_ids), 2000):
        moved = list(Claim.objects.filter(pk__in=moved_ids[chunk : chunk + 2000]))
        history.record_many(
            moved, by=by, action=HistoryAction.REANCHORED, reason=f"Revision {revision.number} of the text"
        )
    revision.details = details
    revision.save()
    if paper.pages:
        paper.pages = remap_pages(paper.text, text, paper.pages, runs=runs)
    paper.text = text
    with history.attributed(paper, by=by, action=HistoryAction.REVISED, reason=f"Revision {revision.number}"):
        paper.save()
    paper_index_soon(paper.pk)  # the new version's passages and vectors, once this commits
    # The new text's passages, and the claims the revision moved or orphaned.
    search_index.paper_indexed(paper)
    return revision
