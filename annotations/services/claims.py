"""Claim commands: create, edit, place, delete, restore and moderate, one claim or many."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction

from search import indexing as search_index

from .. import anchoring, codings, history, roles
from ..errors import DuplicateClaim, PermissionDenied, ValidationError
from ..models import AnchorState, Claim, Coding, HistoryAction, Paper, Stance, Status, Tag, User
from ..precompiled import Precompiled
from ..textrules import check_fields
from . import moderation
from .locks import _lock_claim, _lock_claims, _lock_paper
from .tags import ensure_tags_usable

CLAIM_EDITABLE_FIELDS = {"target", "statement", "speaker", "stance", "tags", "note"}
LIVE = [status for status in Status.values if status not in (Status.REJECTED, Status.ORPHANED)]  # for duplicates


def resolve_target_on(paper: Paper, target: dict[str, Any]) -> anchoring.Anchor:
    """The anchor of `target` on `paper`, or a ValidationError on `target` that says why not."""
    try:
        return anchoring.resolve_target(
            paper.text,
            exact=target.get("exact"),
            prefix=target.get("prefix"),
            suffix=target.get("suffix"),
            start=target.get("start"),
            end=target.get("end"),
        )
    except anchoring.AnchoringError as error:
        raise ValidationError({"target": [str(error)]}) from error


# A tag as a service takes it: a Tag (its stance by the rules of annotations.codings) or (Tag, stance or None).
TagChoice = Tag | tuple[Tag, str | None]


def _given(tags: Iterable[TagChoice], project_id: int) -> list[tuple[Tag, str | None]]:
    """The tags as (tag, stance or None); each must be of the claim's project's codebook (`project_id`)."""
    given = [(tag, None) if isinstance(tag, Tag) else (tag[0], tag[1]) for tag in tags]
    # A tag of another project's codebook is as unknown here as a tag that does not exist.
    by_slug = {tag.slug: tag for tag, _ in given if tag.project_id == project_id}
    try:
        return codings.checked([(tag.slug, stance) for tag, stance in given], lambda slugs: by_slug)
    except ValidationError as error:
        raise ValidationError({"tags": error.messages}) from error


def _write_codings(
    claim: Claim, *, old_stance: str, tags: Iterable[TagChoice] | None, new: bool = False
) -> list[Coding]:
    """Set the claim's codings by the rules of annotations.codings (inside the caller's transaction); the ones
    created are returned (for a new claim: all of them)."""
    stored = {} if new else {coding.tag_id: coding for coding in Coding.objects.filter(claim=claim)}
    given = None if tags is None else _given(tags, claim.paper.project_id)
    by_pk = {} if given is None else {tag.pk: tag for tag, _ in given}
    wanted = codings.resolve(
        current={tag_id: coding.stance for tag_id, coding in stored.items()},
        old_stance=old_stance,
        new_stance=claim.stance,
        given=None if given is None else [(tag.pk, stance) for tag, stance in given],
    )
    gone = [coding.pk for tag_id, coding in stored.items() if tag_id not in wanted]
    if gone:
        Coding.objects.filter(pk__in=gone).delete()
    changed = []
    for tag_id, stance in wanted.items():
        coding = stored.get(tag_id)
        if coding is not None and coding.stance != stance:
            coding.stance = stance
            changed.append(coding)
    if changed:
        Coding.objects.bulk_update(changed, ["stance"])
    # A new coding holds its tag (given by the caller), so answering with the claim reads no tag back.
    return Coding.objects.bulk_create(
        Coding(claim=claim, tag=by_pk[tag_id], stance=stance)
        for tag_id, stance in wanted.items()
        if tag_id not in stored
    )


def _target_texts(target: dict[str, Any]) -> dict[str, Any]:
    return {f"target.{key}": target.get(key) for key in ("exact", "prefix", "suffix")}


def _apply_anchor(claim: Claim, anchor: anchoring.Anchor) -> None:
    claim.start, claim.end = anchor.start, anchor.end
    claim.exact, claim.prefix, claim.suffix = anchor.exact, anchor.prefix, anchor.suffix
    # A target given by a person replaces whatever a revision made of the claim's place.
    claim.anchor_state, claim.anchor_score = AnchorState.ORIGINAL, None


@transaction.atomic
def claim_create(
    *,
    created_by: User,
    paper: Paper,
    target: dict[str, Any],
    statement: str,
    stance: str = Stance.AFFIRMS,
    speaker: str | None = None,
    tags: Iterable[TagChoice] = (),
    note: str = "",
    status: str = Status.PENDING,
) -> Claim:
    """A new claim; each tag takes the stance given with it, or else the claim's `stance`."""
    moderation.ensure_annotator(created_by, paper)
    check_fields({"statement": statement, "speaker": speaker, "note": note, **_target_texts(target)})
    # Lock the paper and read its text afresh: a concurrent revision must not leave this claim on the old text.
    paper = _lock_paper(paper.pk)
    claim = Claim(
        paper=paper,
        statement=statement.strip(),
        speaker=(speaker or "").strip(),
        stance=stance,
        note=note,  # as typed: Markdown-flavoured text, rendered and sanitized where it is shown
        status=status,
        created_by=created_by,
    )
    _apply_anchor(claim, resolve_target_on(paper, target))
    given = _given(tags, paper.project_id)  # refused before anything is written
    ensure_tags_usable([tag for tag, _ in given], by=created_by, project_id=paper.project_id)
    _refuse_duplicate_claim(claim)
    with history.quiet(claim):
        claim.save()
        codings_written = _write_codings(claim, old_stance=claim.stance, tags=given, new=True)
    history.record(claim, by=created_by, action=HistoryAction.CREATED, codings=codings_written)
    search_index.claim_indexed(claim, new=True)
    # What was written is all the claim holds: its codings are handed over as a prefetch would, not read back.
    claim._prefetched_objects_cache = {"codings": codings_written}
    return claim


# Every claim create and placement checks for twins: compiled once (annotations.precompiled).
# Any two live twins will do, without order (the claims' own would join their papers to sort by slug): one of
# them may be the claim itself.
_live_twins = Precompiled(
    lambda paper, creator, start, end, speaker: (
        Claim.objects.filter(
            paper_id=paper,
            created_by_id=creator,
            start=start,
            end=end,
            speaker=speaker,
            deleted_at__isnull=True,
            status__in=LIVE,
        )
        .order_by()
        .values_list("pk")[:2]
    ),
    *(2_147_000_001, 2_147_000_002, 2_147_000_003, 2_147_000_004, "\x00stand-in speaker"),
)


def _refuse_duplicate_claim(claim: Claim) -> None:
    """One analyst marks one span of a paper once per speaker; other analysts may mark it too (agreement
    between coders needs their separate claims). Deleted, rejected and orphaned claims do not count.
    Called with the paper locked, so two concurrent saves cannot both pass."""
    rows = _live_twins(claim.paper_id, claim.created_by_id, claim.start, claim.end, claim.speaker)
    twins = [pk for (pk,) in rows if pk != claim.pk]
    if twins:
        raise DuplicateClaim(existing=twins[0])


@transaction.atomic
def claim_update(*, claim_id: UUID, by: User, version: int | None, **changes: Any) -> Claim:
    """Change a claim's fields; `tags` as in claim_create. A new `stance` carries along the tags that held the
    old one (tags set apart keep theirs); a tag given without a stance keeps the one it has (annotations.codings)."""
    unknown = set(changes) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields({**changes, **_target_texts(changes.get("target") or {})})
    claim = _lock_claim(claim_id)
    moderation.alive_for(claim, by)
    moderation.ensure_can_edit(by, claim, revising=True)
    moderation.check_version(claim, version)
    action, reason = moderation.edit_action(claim, by)
    placing = "target" in changes or "speaker" in changes
    reworded = bool(set(changes) & {"target", "statement", "speaker", "note"})
    if "target" in changes:
        _apply_anchor(claim, resolve_target_on(claim.paper, changes.pop("target")))
        _unorphan(claim)
    if "statement" in changes:
        claim.statement = changes.pop("statement").strip()
    if "speaker" in changes:
        claim.speaker = (changes.pop("speaker") or "").strip()
    if placing and claim.status not in (Status.REJECTED, Status.ORPHANED):
        _refuse_duplicate_claim(claim)
    if "note" in changes:
        claim.note = changes.pop("note")
    tags = changes.pop("tags", None)
    given = None if tags is None else _given(tags, claim.paper.project_id)
    if given is not None:
        held = Coding.objects.filter(claim=claim).values_list("tag_id", flat=True)
        ensure_tags_usable([tag for tag, _ in given], by=by, project_id=claim.paper.project_id, already=held)
    old_stance = claim.stance
    for field, value in changes.items():
        setattr(claim, field, value)
    claim.version += 1
    with history.quiet(claim):
        claim.save()  # save(), not update(): signals see it
        if given is not None or claim.stance != old_stance:
            _write_codings(claim, old_stance=old_stance, tags=given)
    history.record(claim, by=by, action=action, reason=reason)
    if reworded:
        search_index.claim_indexed(claim)
    return claim


def _claims_in_creation_order(claims: dict[UUID, Claim]) -> list[Claim]:
    return sorted(claims.values(), key=lambda claim: (claim.created_at, str(claim.pk)))


CLAIMS = moderation.ModeratedKind(lock=_lock_claim, lock_many=lambda ids: _claims_in_creation_order(_lock_claims(ids)))


# claim_delete, claim_restore, claim_moderate (claim_id=...) and claims_delete, claims_restore, claims_moderate
# (claim_ids=...): the commands every moderated item shares, in the order claims were created for the bulk ones.
claim_delete, claim_restore, claim_moderate, claims_delete, claims_restore, claims_moderate = (
    moderation.moderated_commands(CLAIMS, "claim")
)


def _unorphan(claim: Claim) -> None:
    """A claim placed again after a revision orphaned it goes back to review on its new words (pending),
    unless it had been rejected, which it stays."""
    if claim.status == Status.ORPHANED:
        claim.status = Status.REJECTED if claim.status_before_orphaned == Status.REJECTED else Status.PENDING
        claim.status_before_orphaned = ""


@transaction.atomic
def claim_place(*, claim_id: UUID, by: User, target: dict[str, Any], version: int | None) -> Claim:
    """A moderator places a claim again by hand (an orphaned one, or one a revision moved fuzzily).

    An orphaned claim placed again goes back to `pending` for a fresh review of the words it now stands on,
    unless it had been rejected, which it stays.
    """
    claim = _lock_claim(claim_id)
    if not roles.can_moderate(by, claim):
        raise PermissionDenied("Only moderators can place a claim again by hand.")
    roles.ensure_writable(by, claim)
    if claim.deleted_at is not None:
        raise Claim.DoesNotExist("Claim matching query does not exist.")
    moderation.check_version(claim, version)
    _apply_anchor(claim, resolve_target_on(claim.paper, target))
    claim.anchor_state, claim.anchor_score = AnchorState.MANUAL, None
    _unorphan(claim)
    # Its own history row, with its author, whether placed from the admin, the API or the shell.
    moderation.save(claim, by=by, action=HistoryAction.PLACED)
    search_index.claim_indexed(claim)
    return claim
