"""Codebook commands, per project: create (or propose), edit, accept, reject, delete and merge tags, under one
lock on the project's codebook. Every command writes one history row per tag it changes."""

import dataclasses
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from projects import access
from projects.models import Project, default_project

from .. import history, reader_cache, selectors
from ..errors import PermissionDenied, ValidationError
from ..models import Claim, Coding, HistoryAction, Paper, Tag, TagStatus, User
from ..textrules import check_fields


def _ensure_codebook_editor(user: User, project: Project) -> None:
    if not access.can_moderate(user, project):
        raise PermissionDenied("Only the project's moderators can edit its codebook.")
    access.ensure_writable(project)


def _lock_codebook(project_id: int) -> None:
    """Lock every tag of the project (a codebook is small): two moderators moving tags at once, each locking only
    the tag it moves, could build a loop between them that neither sees. NO KEY UPDATE, so claims can still be
    coded with tags meanwhile (a coding's foreign key takes a KEY SHARE lock, which this does not block)."""
    list(
        Tag.objects.select_for_update(no_key=True)
        .filter(project_id=project_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _ensure_no_cycle(tag: Tag, parent: Tag | None) -> None:
    """A parent loop makes every later native export fail to import (a parent must come before its children)."""
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == tag.pk:
            raise ValidationError({"parent": ["A tag cannot be placed under itself or one of its descendants."]})
        ancestor = ancestor.parent


def _ensure_parent_in(project_id: int, parent: Tag | None) -> None:
    if parent is not None and parent.project_id != project_id:
        raise ValidationError({"parent": [f'The parent "{parent.slug}" is not in this project\'s codebook.']})


def is_usable(tag: Tag, user: User) -> bool:
    """Accepted tags are usable by every analyst of their project; a proposed one by its proposer and the
    project's moderators only (others see it once it is accepted)."""
    if tag.status == TagStatus.ACCEPTED:
        return True
    return (tag.proposed_by_id is not None and tag.proposed_by_id == user.pk) or access.can_moderate(
        user, tag.project_id
    )


def ensure_tags_usable(tags: Iterable[Tag], *, by: User, project_id: int, already: Iterable[int] = ()) -> None:
    """Refuse codings with a tag of another project, or with another analyst's proposed tag; `already`: the tag
    ids the claim holds (kept as they are, whoever proposed them)."""
    kept: set[int] | None = None  # read only when a proposed tag asks for it (`already` may be a query)
    problems = []
    for tag in tags:
        if tag.project_id != project_id:
            problems.append(f'Tag "{tag.slug}" is not in this paper\'s project.')
        elif not is_usable(tag, by):
            kept = set(already) if kept is None else kept
            if tag.pk not in kept:
                problems.append(f'Tag "{tag.slug}" is only proposed: it can be used once a moderator accepts it.')
    if problems:
        raise ValidationError({"tags": problems})


@transaction.atomic
def tag_create(
    *,
    by: User,
    slug: str,
    name: str,
    description: str = "",
    colour: str = "#888888",
    parent: Tag | None = None,
    project: Project | None = None,
    propose: bool = False,
) -> Tag:
    """A new tag of the project's codebook (the default project's when none is given). Moderators add accepted
    tags (or proposed ones, with `propose`); analysts may only propose (`propose=True`), and use theirs at once."""
    project = project or default_project()
    if not access.can_moderate(by, project) and not (propose and access.can_annotate(by, project)):
        raise PermissionDenied(
            "Only the project's moderators can add tags; its analysts may propose one (propose: true)."
        )
    access.ensure_writable(project)
    check_fields({"slug": slug, "name": name, "description": description})
    _ensure_parent_in(project.pk, parent)
    if parent is not None and not is_usable(parent, by):
        raise ValidationError({"parent": [f'The parent "{parent.slug}" is only proposed by someone else.']})
    if Tag.objects.filter(project=project, slug=slug).exists():
        raise ValidationError({"slug": [f'A tag "{slug}" already exists in this project.']})
    tag = Tag(
        project=project,
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        colour=colour.lower(),
        parent=parent,
        status=TagStatus.PROPOSED if propose else TagStatus.ACCEPTED,
        proposed_by=by if propose else None,
    )
    tag.full_clean()
    with history.attributed(tag, by=by, action=HistoryAction.CREATED, reason="proposed" if propose else ""):
        tag.save()
    return tag


TAG_EDITABLE_FIELDS = {"slug", "name", "description", "colour", "parent"}


@transaction.atomic
def tag_update(*, tag: Tag, by: User, **changes: Any) -> Tag:
    """Rename, recolour, describe or move a tag (moderators); a move may not build a loop of parents."""
    _ensure_codebook_editor(by, tag.project)
    unknown = set(changes) - TAG_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields(changes)
    _lock_codebook(tag.project_id)
    tag = Tag.objects.get(pk=tag.pk)
    slug = changes.get("slug")
    if slug is not None and slug != tag.slug and Tag.objects.filter(project_id=tag.project_id, slug=slug).exists():
        raise ValidationError({"slug": [f'A tag "{slug}" already exists in this project.']})
    parent = changes.get("parent")
    _ensure_parent_in(tag.project_id, parent)
    if parent is not None and parent.status == TagStatus.PROPOSED and tag.status == TagStatus.ACCEPTED:
        raise ValidationError(
            {"parent": [f'"{parent.slug}" is only proposed: accept it before placing tags under it.']}
        )
    _ensure_no_cycle(tag, changes.get("parent", tag.parent))
    for field, value in changes.items():
        setattr(tag, field, value.strip() if isinstance(value, str) else value)
    tag.colour = tag.colour.lower()
    tag.full_clean()
    with history.attributed(tag, by=by, action=HistoryAction.EDITED):
        tag.save()
    return tag


@transaction.atomic
def tag_accept(*, tag: Tag, by: User) -> Tag:
    """A proposed tag joins the codebook: every analyst of the project may now code with it."""
    _ensure_codebook_editor(by, tag.project)
    _lock_codebook(tag.project_id)
    tag = Tag.objects.get(pk=tag.pk)
    if tag.status != TagStatus.PROPOSED:
        raise ValidationError({"status": [f'Tag "{tag.slug}" is already accepted.']})
    if tag.parent is not None and tag.parent.status == TagStatus.PROPOSED:
        raise ValidationError({"parent": [f'Accept its parent "{tag.parent.slug}" first, or move it elsewhere.']})
    tag.status = TagStatus.ACCEPTED
    with history.attributed(tag, by=by, action=HistoryAction.ACCEPTED):
        tag.save()
    return tag


@transaction.atomic
def tag_delete(
    *,
    tag: Tag,
    by: User,
    reason: str = "",
    action: str = HistoryAction.DELETED,
    when_in_use: str = "merge it into another tag.",
) -> None:
    """Remove a tag no claim is coded with and no tag sits under; one in use must be merged (tag_merge), which the
    refusal says in `when_in_use`."""
    _ensure_codebook_editor(by, tag.project)
    _lock_codebook(tag.project_id)
    tag = Tag.objects.get(pk=tag.pk)
    uses = selectors.tag_uses(tag)
    if uses["total"]:
        raise ValidationError(
            {
                "into": [
                    f"{tag.slug} is in use ({uses['codings']} coding(s), {uses['children']} sub-tag(s)): {when_in_use}"
                ]
            }
        )
    with history.attributed(tag, by=by, action=action, reason=reason):
        tag.delete()


@transaction.atomic
def tag_reject(*, tag: Tag, by: User, into: Tag | None = None, reason: str = "") -> "MergeReport | None":
    """Turn a proposal down: an unused one is removed; one already coded with must be merged `into` another tag,
    so that no coding is lost."""
    if tag.status != TagStatus.PROPOSED:
        raise ValidationError({"status": [f'Tag "{tag.slug}" is not a proposal: delete or merge it instead.']})
    note = f"proposal rejected{': ' + reason if reason else ''}"
    if into is None:
        tag_delete(
            tag=tag, by=by, reason=note, action=HistoryAction.REJECTED, when_in_use="name a tag to merge it into."
        )
        return None
    return tag_merge(source=tag, into=into, by=by, reason=note)


@dataclasses.dataclass
class MergeReport:
    codings_moved: int = 0
    codings_dropped: int = 0  # claims that already had the kept tag
    children_moved: int = 0
    claims: list[UUID] = dataclasses.field(default_factory=list)
    # Claims that had both tags with different stances: they keep their stance on the kept tag (the one on the
    # merged tag stays in their history, and the history row of the merge says which it was).
    stance_conflicts: list[UUID] = dataclasses.field(default_factory=list)


def _lock_for_merge(source: Tag) -> list[UUID]:
    """Lock order as elsewhere: papers, then their claims; then the merged tag itself, which stops new codings
    with it (and waits for those under way, whose claims are read again here)."""
    claim_ids = list(Coding.objects.filter(tag_id=source.pk).values_list("claim_id", flat=True))
    paper_ids = Claim.objects.filter(pk__in=claim_ids).values("paper_id")
    list(Paper.objects.select_for_update().filter(pk__in=paper_ids).order_by("pk").values_list("pk"))
    list(Claim.objects.select_for_update().filter(pk__in=claim_ids).order_by("pk").values_list("pk"))
    list(Tag.objects.select_for_update().filter(pk=source.pk).values_list("pk"))
    return list(Coding.objects.filter(tag_id=source.pk).values_list("claim_id", flat=True))


@transaction.atomic
def tag_merge(*, source: Tag, into: Tag, by: User, reason: str = "") -> MergeReport:
    """Move every coding of `source` to `into`, move its sub-tags under `into`, and remove `source`.

    Codings are moved through `Coding`, so the stance each carries moves with it; a claim that already has
    `into` keeps its own coding of it (and its stance: see MergeReport.stance_conflicts). Every affected claim
    gets a version and a history row (`retagged`), so an edit made at its old version is refused, not lost.
    """
    _ensure_codebook_editor(by, source.project)
    if source.pk == into.pk:
        raise ValidationError({"into": ["Choose another tag to merge into."]})
    if into.project_id != source.project_id:
        raise ValidationError({"into": [f'"{into.slug}" is not in this project\'s codebook.']})
    _lock_codebook(source.project_id)
    source, into = Tag.objects.get(pk=source.pk), Tag.objects.get(pk=into.pk)
    if into.status == TagStatus.PROPOSED:
        raise ValidationError({"into": [f"{into.slug} is only proposed: accept it before merging tags into it."]})
    ancestor = into
    while ancestor is not None:
        if ancestor.pk == source.pk:
            raise ValidationError({"into": [f"{into.slug} is under {source.slug}: choose a tag outside it."]})
        ancestor = ancestor.parent
    claim_ids = _lock_for_merge(source)
    report = MergeReport(claims=claim_ids)
    both = dict(Coding.objects.filter(tag_id=into.pk, claim_id__in=claim_ids).values_list("claim_id", "stance"))
    dropped = Coding.objects.filter(tag_id=source.pk, claim_id__in=list(both))
    conflicts = {c: s for c, s in dropped.values_list("claim_id", "stance") if s != both[c]}
    report.stance_conflicts = sorted(conflicts, key=str)
    report.codings_dropped, _ = dropped.delete()
    report.codings_moved = Coding.objects.filter(tag_id=source.pk).update(tag_id=into.pk)
    note = f"{source.slug} merged into {into.slug}" + (f" ({reason})" if reason else "")
    for child in Tag.objects.filter(parent=source).order_by("pk"):
        with history.attributed(child, by=by, action=HistoryAction.EDITED, reason=note):
            child.parent = into
            child.save()
        report.children_moved += 1
    Claim.objects.filter(pk__in=claim_ids).update(version=F("version") + 1, updated_at=timezone.now())
    # One history row per claim, in bulk; claims whose stances differed are grouped by the pair of stances, so
    # that each row's reason says which stance it dropped (at most six groups).
    groups: dict[str, list[UUID]] = {f"Tag {note}": [c for c in claim_ids if c not in conflicts]}
    for claim_id, dropped_stance in conflicts.items():
        why = (
            f"Tag {note}; the claim {dropped_stance} {source.slug} and {both[claim_id]} {into.slug}: "
            f"it keeps {both[claim_id]} {into.slug}"
        )
        groups.setdefault(why, []).append(claim_id)
    for why, ids in groups.items():
        for chunk in range(0, len(ids), 2000):
            claims = list(Claim.objects.filter(pk__in=ids[chunk : chunk + 2000]))
            history.record_many(claims, by=by, action=HistoryAction.RETAGGED, reason=why)
    with history.attributed(source, by=by, action=HistoryAction.MERGED, reason=f"merged into {into.slug}" + (
        f" ({reason})" if reason else "")):  # fmt: skip
        source.delete()
    # The codings moved in bulk: the claims the reader shows changed (said here, not left to the deletion above).
    reader_cache.claims_changed(projects=[source.project_id])
    return report
