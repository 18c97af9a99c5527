"""Every write: one transaction each, the rules in one place for the API, pages, admin and commands."""

import copy
import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import anchoring, codings, history, reanchoring, roles, safejson
from .corpus import AuthorSpec, LoadReport, PaperSpec, TagSpec
from .errors import DuplicateClaim, PermissionDenied, StaleVersion, ValidationError
from .models import (
    AnchorState,
    Author,
    Claim,
    Coding,
    HistoryAction,
    Link,
    Paper,
    PaperAuthor,
    PaperRevision,
    Stance,
    Status,
    Tag,
    User,
    text_sha256,
)
from .textrules import check_fields, control_character_problem

CLAIM_EDITABLE_FIELDS = {"target", "statement", "speaker", "stance", "tags", "note"}
LINK_EDITABLE_FIELDS = {"relation", "rationale"}


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    REOPEN = "reopen"
    CHOICES = (APPROVE, REJECT, REOPEN)


# decision -> (the statuses it may be taken from, the status it leads to, what the history row says)
TRANSITIONS = {
    Decision.APPROVE: ({Status.PENDING, Status.REJECTED}, Status.APPROVED, HistoryAction.APPROVED),
    Decision.REJECT: ({Status.PENDING, Status.APPROVED, Status.ORPHANED}, Status.REJECTED, HistoryAction.REJECTED),
    Decision.REOPEN: ({Status.APPROVED, Status.REJECTED}, Status.PENDING, HistoryAction.REOPENED),
}


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


def _ensure_annotator(user: User) -> None:
    if not roles.can_annotate(user):
        raise PermissionDenied("Only analysts and moderators can create claims and links.")


def _ensure_can_edit(user: User, item: Claim | Link, *, revising: bool = False) -> None:
    """Edits and deletions; with `revising` (an edit), the analyst's own rejected item may be revised too."""
    if roles.can_edit(user, item) or (revising and roles.can_resubmit(user, item)):
        return
    noun = "claim" if isinstance(item, Claim) else "link"
    if item.created_by_id != user.pk:
        raise PermissionDenied(f"Only the analyst who made this {noun} or a moderator can change it.")
    if item.status == Status.REJECTED:
        raise PermissionDenied(f"This {noun} is rejected; edit it to send it back to review, or ask a moderator.")
    raise PermissionDenied(f"This {noun} is {item.status}; only a moderator can change it now.")


def _edit_action(item: Claim | Link, by: User) -> tuple[str, str]:
    """An edit by the maker of a rejected item is a resubmission: it goes back to review (pending), and its
    history row carries the rejection it answers. Anyone else's edit leaves the status as it is.

    The moderation fields still describe that last decision (the rejection) until a moderator decides again.
    """
    if item.status == Status.REJECTED and item.created_by_id == by.pk:
        item.status = Status.PENDING
        return HistoryAction.RESUBMITTED, item.moderation_reason
    return HistoryAction.EDITED, ""


def _noun(item: Claim | Link) -> str:
    return "claim" if isinstance(item, Claim) else "link"


def _alive_for(item: Claim | Link, user: User) -> None:
    """Deleted items exist only for moderators (who must restore them before anything else)."""
    if item.deleted_at is None:
        return
    if not roles.can_moderate(user):
        raise type(item).DoesNotExist
    raise ValidationError({"non_field_errors": [f"This {_noun(item)} is deleted; restore it first."]})


def _check_version(item: Claim | Link, version: int | None) -> None:
    if version is None:
        raise ValidationError({"version": ["Give the version you read, so that no one else's change is overwritten."]})
    if item.version != version:
        raise StaleVersion(current=item.version)


# A tag as a service takes it: a Tag (its stance by the rules of annotations.codings) or (Tag, stance or None).
TagChoice = Tag | tuple[Tag, str | None]


def _given(tags: Iterable[TagChoice]) -> list[tuple[Tag, str | None]]:
    given = [(tag, None) if isinstance(tag, Tag) else (tag[0], tag[1]) for tag in tags]
    seen: set[int] = set()
    for tag, stance in given:
        if stance is not None and stance not in Stance.values:
            raise ValidationError(
                {"tags": [f'Unknown stance "{stance}" for tag "{tag.slug}": use {", ".join(Stance.values)}.']}
            )
        if tag.pk in seen:
            raise ValidationError({"tags": [f'Tag "{tag.slug}" is given twice.']})
        seen.add(tag.pk)
    return given


def _write_codings(
    claim: Claim, *, old_stance: str, tags: Iterable[TagChoice] | None, new: bool = False
) -> list[Coding]:
    """Set the claim's codings by the rules of annotations.codings (inside the caller's transaction); the ones
    created are returned (for a new claim: all of them)."""
    stored = {} if new else {coding.tag_id: coding for coding in Coding.objects.filter(claim=claim)}
    given = None if tags is None else [(tag.pk, stance) for tag, stance in _given(tags)]
    wanted = codings.resolve(
        current={tag_id: coding.stance for tag_id, coding in stored.items()},
        old_stance=old_stance,
        new_stance=claim.stance,
        given=given,
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
    return Coding.objects.bulk_create(
        Coding(claim=claim, tag_id=tag_id, stance=stance) for tag_id, stance in wanted.items() if tag_id not in stored
    )


def _target_texts(target: dict[str, Any]) -> dict[str, Any]:
    return {f"target.{key}": target.get(key) for key in ("exact", "prefix", "suffix")}


def _apply_anchor(claim: Claim, anchor: anchoring.Anchor) -> None:
    claim.start, claim.end = anchor.start, anchor.end
    claim.exact, claim.prefix, claim.suffix = anchor.exact, anchor.prefix, anchor.suffix
    # A target given by a person replaces whatever a revision made of the claim's place.
    claim.anchor_state, claim.anchor_score = AnchorState.ORIGINAL, None


# One lock order everywhere, so that no two commands wait for each other: papers (by id), then claims (by id),
# then links (by id). A revision locks its paper and then every claim on it; a command that locked a claim
# first and its paper second would deadlock with it.


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
    _ensure_annotator(created_by)
    check_fields({"statement": statement, "speaker": speaker, "note": note, **_target_texts(target)})
    # Lock the paper and read its text afresh: a concurrent revision must not leave this claim on the old text.
    paper = Paper.objects.select_for_update().get(pk=paper.pk)
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
    given = _given(tags)  # refused before anything is written
    _refuse_duplicate_claim(claim)
    with history.quiet(claim):
        claim.save()
        codings_written = _write_codings(claim, old_stance=claim.stance, tags=given, new=True)
    history.record(claim, by=created_by, action=HistoryAction.CREATED, codings=codings_written)
    return claim


def _refuse_duplicate_claim(claim: Claim) -> None:
    """One analyst marks one span of a paper once per speaker; other analysts may mark it too (agreement
    between coders needs their separate claims). Deleted, rejected and orphaned claims do not count.
    Called with the paper locked, so two concurrent saves cannot both pass."""
    twin = (
        Claim.objects.filter(
            paper_id=claim.paper_id,
            created_by_id=claim.created_by_id,
            start=claim.start,
            end=claim.end,
            speaker=claim.speaker,
            deleted_at__isnull=True,
        )
        .exclude(status__in=[Status.REJECTED, Status.ORPHANED])
        .exclude(pk=claim.pk)
        .values_list("pk", flat=True)
        .order_by("pk")  # any twin will do; the claims' own order would join their papers to sort by slug
        .first()
    )
    if twin is not None:
        raise DuplicateClaim(existing=twin)


@transaction.atomic
def claim_update(*, claim_id: UUID, by: User, version: int | None, **changes: Any) -> Claim:
    """Change a claim's fields; `tags` as in claim_create. A new `stance` carries along the tags that held the
    old one (tags set apart keep theirs); a tag given without a stance keeps the one it has (annotations.codings)."""
    unknown = set(changes) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields({**changes, **_target_texts(changes.get("target") or {})})
    claim = _lock_claim(claim_id)
    _alive_for(claim, by)
    _ensure_can_edit(by, claim, revising=True)
    _check_version(claim, version)
    action, reason = _edit_action(claim, by)
    placing = "target" in changes or "speaker" in changes
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
    given = None if tags is None else _given(tags)
    old_stance = claim.stance
    for field, value in changes.items():
        setattr(claim, field, value)
    claim.version += 1
    with history.quiet(claim):
        claim.save()  # save(), not update(): signals see it
        if given is not None or claim.stance != old_stance:
            _write_codings(claim, old_stance=old_stance, tags=given)
    history.record(claim, by=by, action=action, reason=reason)
    return claim


def _save(item: Claim | Link, *, by: User, action: str, reason: str = "") -> None:
    item.version += 1
    with history.quiet(item):
        item.save()
    history.record(item, by=by, action=action, reason=reason)


def _soft_delete(item: Claim | Link, *, by: User, reason: str) -> Claim | Link:
    _alive_for(item, by)
    _ensure_can_edit(by, item)
    check_fields({"reason": reason})
    item.deleted_at = timezone.now()
    _save(item, by=by, action=HistoryAction.DELETED, reason=(reason or "").strip())
    return item


def _restore(item: Claim | Link, *, by: User, reason: str) -> Claim | Link:
    if not roles.can_moderate(by):
        raise PermissionDenied(f"Only moderators can restore a deleted {_noun(item)}.")
    if item.deleted_at is None:
        raise ValidationError({"non_field_errors": [f"This {_noun(item)} is not deleted."]})
    check_fields({"reason": reason})
    item.deleted_at = None
    _save(item, by=by, action=HistoryAction.RESTORED, reason=(reason or "").strip())
    return item


def _moderate(item: Claim | Link, *, by: User, decision: str, reason: str) -> Claim | Link:
    """Approve (from pending or rejected), reject (from pending, approved or orphaned) or reopen (to pending)."""
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can approve, reject or reopen.")
    if decision not in TRANSITIONS:
        raise ValidationError({"decision": [f'Unknown decision "{decision}": use approve, reject or reopen.']})
    check_fields({"reason": reason})
    _alive_for(item, by)
    reason = (reason or "").strip()
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": ["Say why it is rejected, so the analyst can act on it."]})
    sources, new_status, action = TRANSITIONS[decision]
    noun = _noun(item)
    if item.status == new_status:
        raise ValidationError({"decision": [f"This {noun} is already {new_status}."]})
    if item.status == Status.ORPHANED and item.status not in sources:
        raise ValidationError(
            {"decision": [f"An orphaned {noun} must be placed on the text again before it can be {action}."]}
        )
    if item.status not in sources:
        raise ValidationError({"decision": [f"A {item.status} {noun} cannot be {action}."]})
    item.status = new_status
    item.moderated_by = by
    item.moderated_at = timezone.now()
    item.moderation_reason = reason
    _save(item, by=by, action=action, reason=reason)
    return item


@dataclasses.dataclass
class BulkResult:
    """What a bulk command did: the items it changed, and why each refused one was refused."""

    done: list[Claim | Link] = dataclasses.field(default_factory=list)
    refused: list[tuple[Claim | Link, str]] = dataclasses.field(default_factory=list)


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _bulk(items: Iterable[Claim | Link], command: Callable[[Claim | Link], Any]) -> BulkResult:
    result = BulkResult()
    for item in items:
        try:
            with transaction.atomic():  # a savepoint: a refused item leaves the others done
                result.done.append(command(item))
        except (PermissionDenied, ValidationError) as error:
            result.refused.append((item, error_text(error)))
        except (Claim.DoesNotExist, Link.DoesNotExist):  # deleted, for someone who cannot see deleted items
            result.refused.append((item, f"This {_noun(item)} does not exist."))
    return result


def _claims_in_creation_order(claims: dict[UUID, Claim]) -> list[Claim]:
    return sorted(claims.values(), key=lambda claim: (claim.created_at, str(claim.pk)))


@transaction.atomic
def claim_delete(*, claim_id: UUID, by: User, reason: str = "") -> Claim:
    """Soft delete: the claim disappears from every view but stays in the database for moderators."""
    claim = _lock_claim(claim_id)
    _soft_delete(claim, by=by, reason=reason)
    return claim


@transaction.atomic
def claim_restore(*, claim_id: UUID, by: User, reason: str = "") -> Claim:
    """Undo a soft delete (moderators): the claim comes back with its status, tags and links."""
    claim = _lock_claim(claim_id)
    _restore(claim, by=by, reason=reason)
    return claim


@transaction.atomic
def claims_delete(*, claim_ids: Iterable[UUID], by: User) -> BulkResult:
    claims = _claims_in_creation_order(_lock_claims(claim_ids))
    return _bulk(claims, lambda claim: _soft_delete(claim, by=by, reason=""))


@transaction.atomic
def claims_restore(*, claim_ids: Iterable[UUID], by: User) -> BulkResult:
    claims = _claims_in_creation_order(_lock_claims(claim_ids))
    return _bulk(claims, lambda claim: _restore(claim, by=by, reason=""))


@transaction.atomic
def claim_moderate(*, claim_id: UUID, by: User, decision: str, reason: str = "") -> Claim:
    claim = _lock_claim(claim_id)
    return _moderate(claim, by=by, decision=decision, reason=reason)


@transaction.atomic
def claims_moderate(*, claim_ids: Iterable[UUID], by: User, decision: str, reason: str = "") -> BulkResult:
    """One decision on many claims in one transaction; the ones the rules refuse are reported, not changed."""
    claims = _claims_in_creation_order(_lock_claims(claim_ids))
    return _bulk(claims, lambda claim: _moderate(claim, by=by, decision=decision, reason=reason))


def _is_live(item: Claim | Link) -> bool:
    return item.deleted_at is None and item.status != Status.REJECTED


def _refuse_second_live_link(*, source_id: UUID, target_id: UUID, by: User, exclude: UUID | None = None) -> None:
    """Two claims carry at most one live (neither deleted nor rejected) link, whatever its relation and
    direction: `restates` is symmetric, and `supports` and `conflicts` between the same claims contradict each
    other. Called with both claims locked; the constraint `link_one_live_per_pair` backs it.

    The refusal names the existing link only to someone who may see it; anyone else learns only that the
    claims cannot be linked so, not by whom."""
    existing = (
        Link.objects.filter(
            Q(source_id=source_id, target_id=target_id) | Q(source_id=target_id, target_id=source_id),
            deleted_at__isnull=True,
        )
        .exclude(status=Status.REJECTED)
        .exclude(pk=exclude)
        .first()
    )
    if existing is None:
        return
    from .selectors import link_visibility

    if not Link.objects.filter(link_visibility(by), pk=existing.pk).exists():
        raise ValidationError(
            {
                "non_field_errors": [
                    "These claims cannot be linked that way: two claims carry at most one live link, and these "
                    "already have one you cannot see. Ask a moderator."
                ]
            }
        )
    same_way = existing.source_id == source_id
    direction = "from this source to this target" if same_way else "from this target to this source"
    raise ValidationError(
        {
            "non_field_errors": [
                f"These claims are already linked: link {existing.pk} ({existing.relation}, {direction}). Two claims "
                f"carry at most one live link: change its relation (PATCH /api/v1/links/{existing.pk}/ with "
                "relation) or delete it first."
            ]
        }
    )


@transaction.atomic
def link_create(
    *,
    created_by: User,
    source: Claim,
    target: Claim,
    relation: str,
    rationale: str = "",
    status: str = Status.PENDING,
) -> Link:
    _ensure_annotator(created_by)
    check_fields({"rationale": rationale})
    if source.pk == target.pk:
        raise ValidationError({"target": ["A claim cannot be linked to itself."]})
    _lock_claims([source.pk, target.pk], texts=False)
    if status != Status.REJECTED:
        _refuse_second_live_link(source_id=source.pk, target_id=target.pk, by=created_by)
    link = Link(
        source=source,
        target=target,
        relation=relation,
        rationale=rationale,
        status=status,
        created_by=created_by,
    )
    try:
        with transaction.atomic(), history.quiet(link):
            link.save()
    except IntegrityError as error:  # a write that took no lock (an import, the shell) came first
        raise ValidationError(
            {"non_field_errors": ["These claims were linked by someone else meanwhile; reload and try again."]}
        ) from error
    history.record(link, by=created_by, action=HistoryAction.CREATED)
    return link


@transaction.atomic
def link_update(*, link_id: UUID, by: User, version: int | None, **changes: Any) -> Link:
    unknown = set(changes) - LINK_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields(changes)
    link = _lock_link(link_id)
    _alive_for(link, by)
    _ensure_can_edit(by, link, revising=True)
    _check_version(link, version)
    action, reason = _edit_action(link, by)
    if "rationale" in changes:
        link.rationale = changes["rationale"]
    if "relation" in changes:
        # The pair's one live link may change its relation freely: nothing else joins these claims.
        link.relation = changes["relation"]
    _save(link, by=by, action=action, reason=reason)
    return link


@transaction.atomic
def link_delete(*, link_id: UUID, by: User, reason: str = "") -> Link:
    link = _lock_link(link_id)
    _soft_delete(link, by=by, reason=reason)
    return link


def _link_restore(link: Link, *, by: User, reason: str) -> Link:
    """Undo a soft delete (moderators), unless its claims are deleted or another live link joins them since."""
    if roles.can_moderate(by) and link.deleted_at is not None:
        for end in ("source", "target"):
            if getattr(link, end).deleted_at is not None:
                raise ValidationError({end: [f"The {end} claim of this link is deleted; restore it first."]})
        if link.status != Status.REJECTED:
            _refuse_second_live_link(source_id=link.source_id, target_id=link.target_id, by=by, exclude=link.pk)
    _restore(link, by=by, reason=reason)
    return link


@transaction.atomic
def link_restore(*, link_id: UUID, by: User, reason: str = "") -> Link:
    return _link_restore(_lock_link(link_id), by=by, reason=reason)


@transaction.atomic
def links_delete(*, link_ids: Iterable[UUID], by: User) -> BulkResult:
    return _bulk(_lock_links(link_ids), lambda link: _soft_delete(link, by=by, reason=""))


@transaction.atomic
def links_restore(*, link_ids: Iterable[UUID], by: User) -> BulkResult:
    return _bulk(_lock_links(link_ids), lambda link: _link_restore(link, by=by, reason=""))


def _link_moderate(link: Link, *, by: User, decision: str, reason: str) -> Link:
    """As for claims; a rejected link that approving or reopening makes live again must be the pair's only one."""
    revived = link.status == Status.REJECTED and decision in (Decision.APPROVE, Decision.REOPEN)
    if revived and link.deleted_at is None and roles.can_moderate(by):
        _refuse_second_live_link(source_id=link.source_id, target_id=link.target_id, by=by, exclude=link.pk)
    return _moderate(link, by=by, decision=decision, reason=reason)


@transaction.atomic
def link_moderate(*, link_id: UUID, by: User, decision: str, reason: str = "") -> Link:
    return _link_moderate(_lock_link(link_id), by=by, decision=decision, reason=reason)


@transaction.atomic
def links_moderate(*, link_ids: Iterable[UUID], by: User, decision: str, reason: str = "") -> BulkResult:
    """One decision on many links in one transaction; the ones the rules refuse are reported, not changed."""
    return _bulk(_lock_links(link_ids), lambda link: _link_moderate(link, by=by, decision=decision, reason=reason))


def _ensure_codebook_editor(user: User) -> None:
    if not roles.can_moderate(user):
        raise PermissionDenied("Only moderators can edit the codebook.")


def _lock_codebook() -> None:
    """Lock every tag (the codebook is small): two moderators moving tags at once, each locking only the tag
    it moves, could build a loop between them that neither sees. NO KEY UPDATE, so claims can still be coded
    with tags meanwhile (a coding's foreign key takes a KEY SHARE lock, which this does not block)."""
    list(Tag.objects.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))


def _ensure_no_cycle(tag: Tag, parent: Tag | None) -> None:
    """A parent loop makes every later native export fail to import (a parent must come before its children)."""
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == tag.pk:
            raise ValidationError({"parent": ["A tag cannot be placed under itself or one of its descendants."]})
        ancestor = ancestor.parent


@transaction.atomic
def tag_create(
    *, by: User, slug: str, name: str, description: str = "", colour: str = "#888888", parent: Tag | None = None
) -> Tag:
    _ensure_codebook_editor(by)
    check_fields({"slug": slug, "name": name, "description": description})
    if Tag.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f'A tag "{slug}" already exists.']})
    tag = Tag(slug=slug, name=name.strip(), description=description.strip(), colour=colour.lower(), parent=parent)
    tag.full_clean()
    with history.attributed(tag, by=by, action=HistoryAction.CREATED):
        tag.save()
    return tag


TAG_EDITABLE_FIELDS = {"slug", "name", "description", "colour", "parent"}


@transaction.atomic
def tag_update(*, tag: Tag, by: User, **changes: Any) -> Tag:
    _ensure_codebook_editor(by)
    unknown = set(changes) - TAG_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields(changes)
    _lock_codebook()
    tag = Tag.objects.get(pk=tag.pk)
    if "slug" in changes and changes["slug"] != tag.slug and Tag.objects.filter(slug=changes["slug"]).exists():
        raise ValidationError({"slug": [f'A tag "{changes["slug"]}" already exists.']})
    _ensure_no_cycle(tag, changes.get("parent", tag.parent))
    for field, value in changes.items():
        setattr(tag, field, value.strip() if isinstance(value, str) else value)
    tag.colour = tag.colour.lower()
    tag.full_clean()
    with history.attributed(tag, by=by, action=HistoryAction.EDITED):
        tag.save()
    return tag


@transaction.atomic
def tag_delete(*, tag: Tag, by: User, reason: str = "") -> None:
    """Remove a tag no claim is coded with and no tag sits under; one in use must be merged (tag_merge)."""
    _ensure_codebook_editor(by)
    _lock_codebook()
    tag = Tag.objects.get(pk=tag.pk)
    uses = Claim.tags.through.objects.filter(tag_id=tag.pk).count()
    if uses or tag.children.exists():
        raise ValidationError(
            {
                "into": [
                    f"{tag.slug} is in use ({uses} coding(s), {tag.children.count()} sub-tag(s)): merge it into another tag."
                ]
            }
        )
    with history.attributed(tag, by=by, action=HistoryAction.DELETED, reason=reason):
        tag.delete()


@dataclasses.dataclass
class MergeReport:
    codings_moved: int = 0
    codings_dropped: int = 0  # claims that already had the kept tag
    children_moved: int = 0
    claims: list[UUID] = dataclasses.field(default_factory=list)


@transaction.atomic
def tag_merge(*, source: Tag, into: Tag, by: User) -> MergeReport:
    """Move every coding of `source` to `into`, move its sub-tags under `into`, and remove `source`.

    Codings are moved through `Claim.tags.through`, so whatever else a coding carries (a stance) moves
    with it; a claim that already has `into` keeps its own coding of it. Every affected claim gets a
    version and a history row (`retagged`), so an edit made at its old version is refused, not lost.
    """
    _ensure_codebook_editor(by)
    if source.pk == into.pk:
        raise ValidationError({"into": ["Choose another tag to merge into."]})
    _lock_codebook()
    source, into = Tag.objects.get(pk=source.pk), Tag.objects.get(pk=into.pk)
    ancestor = into
    while ancestor is not None:
        if ancestor.pk == source.pk:
            raise ValidationError({"into": [f"{into.slug} is under {source.slug}: choose a tag outside it."]})
        ancestor = ancestor.parent
    Coding = Claim.tags.through
    claim_ids = list(Coding.objects.filter(tag_id=source.pk).values_list("claim_id", flat=True))
    # Lock order as elsewhere: papers, then their claims; then the merged tag itself, which stops new codings
    # with it (and waits for those under way, whose claims are read again below).
    paper_ids = Claim.objects.filter(pk__in=claim_ids).values("paper_id")
    list(Paper.objects.select_for_update().filter(pk__in=paper_ids).order_by("pk").values_list("pk"))
    list(Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk"))
    list(Tag.objects.select_for_update().filter(pk=source.pk).values_list("pk"))
    claim_ids = list(Coding.objects.filter(tag_id=source.pk).values_list("claim_id", flat=True))
    report = MergeReport(claims=claim_ids)
    has_both = Coding.objects.filter(tag_id=into.pk, claim_id__in=claim_ids).values("claim_id")
    report.codings_dropped, _ = Coding.objects.filter(tag_id=source.pk, claim_id__in=has_both).delete()
    report.codings_moved = Coding.objects.filter(tag_id=source.pk).update(tag_id=into.pk)
    for child in Tag.objects.filter(parent=source).order_by("pk"):
        with history.attributed(
            child, by=by, action=HistoryAction.EDITED, reason=f"{source.slug} merged into {into.slug}"
        ):
            child.parent = into
            child.save()
        report.children_moved += 1
    reason = f"Tag {source.slug} merged into {into.slug}"
    Claim.objects.filter(pk__in=claim_ids).update(version=F("version") + 1, updated_at=timezone.now())
    for chunk in range(0, len(claim_ids), 2000):
        claims = list(Claim.objects.filter(pk__in=claim_ids[chunk : chunk + 2000]))
        history.record_many(claims, by=by, action=HistoryAction.RETAGGED, reason=reason)
    with history.attributed(source, by=by, action=HistoryAction.MERGED, reason=f"merged into {into.slug}"):
        source.delete()
    return report


def _sync(instance, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when something changed (so an unchanged load writes nothing)."""
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    return bool(changed)


def _author_upsert(spec: AuthorSpec, report: LoadReport) -> Author:
    values = {"affiliation": spec.affiliation, "country": spec.country, "note": spec.note}
    author, created = Author.objects.get_or_create(name=spec.name, defaults=values)
    if created:
        report.created["authors"] += 1
    elif _sync(author, values):
        author.save()
        report.updated["authors"] += 1
    else:
        report.unchanged["authors"] += 1
    return author


def paper_upsert(spec: PaperSpec, report: LoadReport, revised_by: User | None = None) -> Paper:
    """Create the paper, or bring its metadata and text up to date; a changed text becomes a revision
    (attributed to `revised_by`, by default the system user `load_corpus`) that re-anchors its claims."""
    values = {"title": spec.title, "year": spec.year, "year_note": spec.year_note, "venue": spec.venue}
    paper = Paper.objects.filter(slug=spec.slug).first()
    authors = [_author_upsert(author, report) for author in spec.authors]
    if paper is None:
        paper = Paper.objects.create(slug=spec.slug, text=spec.text, **values)
        report.created["papers"] += 1
        changed_bylines = True
    else:
        changed = metadata_changed = _sync(paper, values)
        if paper.text != spec.text:
            revision = _paper_revise(
                paper=paper, by=revised_by or system_reviser(), text=spec.text, note="Newer text loaded by load_corpus."
            )
            report.revisions.append(revision)
            paper.text = spec.text
            changed = True
        current = list(paper.bylines.order_by("position").values_list("author_id", flat=True))
        changed_bylines = current != [author.pk for author in authors]
        if metadata_changed:  # (a new text alone was saved by its revision)
            with history.attributed(
                paper, by=revised_by, action=HistoryAction.EDITED, reason="Metadata loaded by load_corpus."
            ):
                paper.save()
        if changed or changed_bylines:
            report.updated["papers"] += 1
        else:
            report.unchanged["papers"] += 1
    if changed_bylines:
        paper.bylines.all().delete()
        PaperAuthor.objects.bulk_create(
            PaperAuthor(paper=paper, author=author, position=i) for i, author in enumerate(authors, start=1)
        )
    return paper


PAPER_METADATA_FIELDS = {"slug", "title", "year", "year_note", "venue", "doi", "url"}


@transaction.atomic
def paper_update(*, paper_id: int, by: User, **changes: Any) -> Paper:
    """Change a paper's metadata (moderators), with a history row; its text changes only by paper_revise."""
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can edit a paper's metadata.")
    unknown = set(changes) - PAPER_METADATA_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed here."] for name in sorted(unknown)})
    paper = Paper.objects.select_for_update().get(pk=paper_id)
    for field, value in changes.items():
        setattr(paper, field, value.strip() if isinstance(value, str) else value)
    if "doi" in changes or "url" in changes:
        _paper_locators(paper)
    paper.full_clean(exclude=["text"])
    with history.attributed(paper, by=by, action=HistoryAction.EDITED):
        paper.save()
    return paper


def _paper_locators(paper: Paper) -> None:
    """A DOI kept in its normal form (10.xxxx/..., lower case) whatever its spelling; blank DOI or URL: unknown."""
    from .identifiers import normal_doi

    paper.url = paper.url or None
    if paper.doi:
        normal = normal_doi(paper.doi)
        if normal is None:
            raise ValidationError(
                {"doi": [f"Not a DOI: {paper.doi!r} (give it as 10.xxxx/... or https://doi.org/...)."]}
            )
        paper.doi = normal
    paper.doi = paper.doi or None


def _tag_upsert(spec: TagSpec, report: LoadReport) -> Tag:
    parent = None
    if spec.parent:
        parent = Tag.objects.filter(slug=spec.parent).first()
        if parent is None:
            raise ValidationError(
                {"tags": [f"Tag {spec.slug!r} names parent {spec.parent!r}, which is not defined before it."]}
            )
    values = {"name": spec.name, "description": spec.description, "colour": spec.colour.lower(), "parent": parent}
    tag = Tag.objects.filter(slug=spec.slug).first()
    if tag is None:
        tag = Tag(slug=spec.slug, **values)
        tag.full_clean()
        tag.save()
        report.created["tags"] += 1
    elif _sync(tag, values):
        tag.full_clean()
        tag.save()
        report.updated["tags"] += 1
    else:
        report.unchanged["tags"] += 1
    return tag


@transaction.atomic
def corpus_load(
    *, papers: Iterable[PaperSpec], tags: Iterable[TagSpec] = (), revised_by: User | None = None
) -> LoadReport:
    """Load papers and codebook entries; loading the same files again changes nothing."""
    report = LoadReport()
    for spec in papers:
        paper_upsert(spec, report, revised_by=revised_by)
    for tag_spec in tags:
        _tag_upsert(tag_spec, report)
    return report


# --- Paper revisions and re-anchoring (issue 7) ----------------------------------------------------------

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
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can revise a paper's text.")
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
    outcomes = reanchoring.reanchor(
        paper.text,
        text,
        [anchoring.Anchor(claim.start, claim.end, claim.exact, claim.prefix, claim.suffix) for claim in placed],
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
    paper.text = text
    with history.attributed(paper, by=by, action=HistoryAction.REVISED, reason=f"Revision {revision.number}"):
        paper.save()
    return revision


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
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can place a claim again by hand.")
    claim = _lock_claim(claim_id)
    if claim.deleted_at is not None:
        raise Claim.DoesNotExist("Claim matching query does not exist.")
    _check_version(claim, version)
    _apply_anchor(claim, resolve_target_on(claim.paper, target))
    claim.anchor_state, claim.anchor_score = AnchorState.MANUAL, None
    _unorphan(claim)
    # Its own history row, with its author, whether placed from the admin, the API or the shell.
    _save(claim, by=by, action=HistoryAction.PLACED)
    return claim


# Import: the file is checked as a whole first (importing.validate gathers every problem); then one
# transaction writes the plan, keeping ids, versions, timestamps and moderation exactly as given.
IMPORT_BATCH_SIZE = 1000


def _valid_uuids(values: set[str]) -> set[str]:
    valid = set()
    for value in values:
        try:
            valid.add(str(UUID(value)))
        except (TypeError, ValueError, AttributeError):
            continue
    return valid


@transaction.atomic
def claims_import(
    *, document: Any, by: User | None, dry_run: bool = False, paper: str | None = None, skip_unplaced: bool = False
) -> dict[str, Any]:
    """Import a native export, W3C annotations, Hypothesis rows (parsed JSON) or a REFI-QDA `.qdpx` / `.qdc`
    (bytes); all or nothing. Returns created/updated/unchanged per kind (and `skipped`, what was left out).

    `by` is the moderator importing (None from the shell, which is trusted). Usernames the file names
    that this instance lacks become inactive accounts with no usable password and no role: the record
    of who made what is kept, and no one can sign in as them until an admin gives them a password.
    `skip_unplaced` (Hypothesis rows only): import the rows that can be placed and report the others in
    `skipped`, instead of refusing the whole file.
    """
    from . import import_lookups, importing, selectors
    from .exports import iso

    if by is not None and not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can import.")
    # Before any query: PostgreSQL cannot even compare a NUL (the JSON readers refuse it too).
    where = safejson.unstorable_text(document)
    if where is not None:
        raise importing.ImportRefused({where: [safejson.unstorable_message(where)]})
    if paper is not None and (problem := control_character_problem(paper)):
        raise importing.ImportRefused({"paper": [problem]})
    # Papers first, as every command locks (see _lock_claims): no claim write interleaves with the import.
    list(Paper.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    acting = by.username if by else None
    doc = importing.read(document, acting_username=acting, paper=paper, now=iso(timezone.now()))
    import_lookups.prepare(doc, acting_username=acting, paper=paper)
    referenced = importing.referenced(doc)
    referenced["claims"] = _valid_uuids(referenced["claims"])
    referenced["links"] = _valid_uuids(referenced["links"])
    # Checked and written in one transaction, so what was checked is what is written over.
    known = selectors.known_for_import(referenced)
    skipped: dict[str, list[str]] = {}
    if skip_unplaced and doc.kind == "hypothesis":
        claims = copy.deepcopy(doc.claims)
        try:
            plan = importing.validate(doc, known)
        except importing.ImportRefused as refused:
            doc.claims, skipped = importing.without_unplaced(doc, claims, refused.problems)
            plan = importing.validate(doc, known)
    else:
        plan = importing.validate(doc, known)
    if not dry_run:
        try:
            with transaction.atomic():
                _import_write(plan, by=by)
        except IntegrityError as error:  # a concurrent write took an id or a link first
            raise importing.ImportRefused(
                {"": [f"The instance changed while importing ({error}); nothing was written. Try again."]}
            ) from error
    report: dict[str, Any] = dict(plan.report)
    if doc.skipped or skipped:
        report["skipped"] = doc.skipped + [f"{path}: {' '.join(messages)}" for path, messages in skipped.items()]
    return report


def _parse(value: str | None):
    from .exports import parse_iso

    return parse_iso(value) if value else None


IMPORT_REASON = "import"


def _import_write(plan, *, by: User | None) -> None:
    for username in plan.users:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
    users = {u.username: u.pk for u in User.objects.filter(username__in=_usernames(plan)).only("id", "username")}
    Author.objects.bulk_create(Author(**record) for record in plan.authors)
    for record in plan.papers:
        values = {key: record[key] for key in ("slug", "title", "year", "year_note", "venue", "doi", "url", "text")}
        paper = Paper.objects.create(**values)
        authors = {a.name: a for a in Author.objects.filter(name__in=record["authors"])}
        PaperAuthor.objects.bulk_create(
            PaperAuthor(paper=paper, author=authors[name], position=i) for i, name in enumerate(record["authors"], 1)
        )
        stamps = {key: _parse(record[key]) for key in ("created_at", "updated_at") if record[key]}
        if stamps:  # auto_now(_add) would overwrite them in save(); update() does not
            Paper.objects.filter(pk=paper.pk).update(**stamps)
    Tag.objects.bulk_create(Tag(**{**record, "parent": None}) for record in plan.tags)
    tags = dict(Tag.objects.values_list("slug", "id"))
    for record in plan.tags:
        if record["parent"]:
            Tag.objects.filter(slug=record["slug"]).update(parent_id=tags[record["parent"]])
    # bulk_create writes no history: the tags the file brought get their "created" row, as claims and links do.
    Tag.history.bulk_history_create(
        list(Tag.objects.filter(slug__in=[record["slug"] for record in plan.tags])),
        default_user=by,
        default_change_reason=IMPORT_REASON,
        custom_historical_attrs={"history_action": HistoryAction.CREATED},
    )
    papers = dict(Paper.objects.filter(slug__in={r["paper"] for r in plan.claims_new + plan.claims_changed})
                  .values_list("slug", "id"))  # fmt: skip
    _write_items(Claim, plan.claims_new, plan.claims_changed, lambda r: _claim_values(r, papers, users), tags, by)
    _write_items(Link, plan.links_new, plan.links_changed, lambda r: _link_values(r, users), None, by)


def _usernames(plan) -> set[str]:
    records = [*plan.claims_new, *plan.claims_changed, *plan.links_new, *plan.links_changed]
    return {r["created_by"] for r in records} | {r["moderated_by"] for r in records if r["moderated_by"]}


def _moderated_values(record: dict, users: dict[str, int]) -> dict[str, Any]:
    return {
        "status": record["status"],
        "version": record["version"],
        "created_by_id": users[record["created_by"]],
        "created_at": _parse(record["created_at"]),
        "updated_at": _parse(record["updated_at"]),
        "moderated_by_id": users[record["moderated_by"]] if record["moderated_by"] else None,
        "moderated_at": _parse(record["moderated_at"]),
        "moderation_reason": record["moderation_reason"],
        "deleted_at": _parse(record["deleted_at"]),
    }


def _claim_values(record: dict, papers: dict[str, int], users: dict[str, int]) -> dict[str, Any]:
    target = record["target"]
    return {
        "paper_id": papers[record["paper"]],
        "start": target["start"],
        "end": target["end"],
        "exact": target["exact"],
        "prefix": target["prefix"],
        "suffix": target["suffix"],
        "statement": record["statement"],
        "speaker": record["speaker"] or "",
        "stance": record["stance"],
        "note": record["note"],
        "anchor_state": record["anchor_state"],
        "anchor_score": record["anchor_score"],
        "status_before_orphaned": record["status_before_orphaned"],
        **_moderated_values(record, users),
    }


def _link_values(record: dict, users: dict[str, int]) -> dict[str, Any]:
    return {
        "source_id": record["source"],
        "target_id": record["target"],
        "relation": record["relation"],
        "rationale": record["rationale"],
        **_moderated_values(record, users),
    }


def _write_items(model, new: list[dict], changed: list[dict], values, tags: dict[str, int] | None, by) -> None:
    """Create and update claims or links with their stored timestamps, in batches; each gets its history row
    (created or edited, by the importing user, reason "import"), so an import leaves the audit trail whole."""
    # Updates first, those leaving the live set before the others, so that a link the file puts in the place
    # of another never meets it in the one-live-link-per-pair index.
    for record in sorted(changed, key=lambda r: r["deleted_at"] is None and r["status"] != Status.REJECTED):
        model.objects.filter(pk=record["id"]).update(**values(record))
        if tags is not None:
            Coding.objects.filter(claim_id=record["id"]).delete()
            Coding.objects.bulk_create(
                Coding(claim_id=UUID(record["id"]), tag_id=tags[c["tag"]], stance=c["stance"])
                for c in record["codings"]
            )
    for start in range(0, len(changed), IMPORT_BATCH_SIZE):
        ids = [UUID(record["id"]) for record in changed[start : start + IMPORT_BATCH_SIZE]]
        history.record_many(
            list(model.objects.filter(pk__in=ids)), by=by, action=HistoryAction.EDITED, reason=IMPORT_REASON
        )
    for start in range(0, len(new), IMPORT_BATCH_SIZE):
        batch = new[start : start + IMPORT_BATCH_SIZE]
        items = [model(id=UUID(r["id"]), **values(r)) for r in batch]
        model.objects.bulk_create(items)
        # bulk_create let auto_now(_add) stamp the current time; put the file's back (bulk_update does not).
        for item, record in zip(items, batch, strict=True):
            item.created_at, item.updated_at = _parse(record["created_at"]), _parse(record["updated_at"])
        model.objects.bulk_update(items, ["created_at", "updated_at"])
        if tags is not None:
            Coding.objects.bulk_create(
                Coding(claim_id=UUID(r["id"]), tag_id=tags[c["tag"]], stance=c["stance"])
                for r in batch
                for c in r["codings"]
            )
        history.record_many(items, by=by, action=HistoryAction.CREATED, reason=IMPORT_REASON)
