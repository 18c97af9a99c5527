"""Codebook commands: create, edit, delete and merge tags, under one codebook lock."""

import dataclasses
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from projects.models import Project, default_project

from .. import history, roles
from ..errors import PermissionDenied, ValidationError
from ..models import Claim, HistoryAction, Paper, Tag, User
from ..textrules import check_fields


def _ensure_codebook_editor(user: User, project: roles.Where) -> None:
    if not roles.can_moderate(user, project):
        raise PermissionDenied("Only moderators can edit the codebook.")
    roles.ensure_writable(user, project)


def _lock_codebook(project_id: int) -> None:
    """Lock every tag (the codebook is small): two moderators moving tags at once, each locking only the tag
    it moves, could build a loop between them that neither sees. NO KEY UPDATE, so claims can still be coded
    with tags meanwhile (a coding's foreign key takes a KEY SHARE lock, which this does not block)."""
    tags = Tag.objects.select_for_update(no_key=True).filter(project_id=project_id)
    list(tags.order_by("pk").values_list("pk", flat=True))


def _ensure_no_cycle(tag: Tag, parent: Tag | None) -> None:
    """A parent loop makes every later native export fail to import (a parent must come before its children)."""
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == tag.pk:
            raise ValidationError({"parent": ["A tag cannot be placed under itself or one of its descendants."]})
        ancestor = ancestor.parent


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
) -> Tag:
    """A new tag in the codebook of `project` (the default project when None)."""
    project = project or default_project()
    _ensure_codebook_editor(by, project)
    check_fields({"slug": slug, "name": name, "description": description})
    if Tag.objects.filter(project=project, slug=slug).exists():
        raise ValidationError({"slug": [f'A tag "{slug}" already exists.']})
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": [f'Unknown tag "{parent.slug}".']})
    tag = Tag(
        project=project,
        slug=slug,
        name=name.strip(),
        description=description.strip(),
        colour=colour.lower(),
        parent=parent,
    )
    tag.full_clean()
    with history.attributed(tag, by=by, action=HistoryAction.CREATED):
        tag.save()
    return tag


TAG_EDITABLE_FIELDS = {"slug", "name", "description", "colour", "parent"}


@transaction.atomic
def tag_update(*, tag: Tag, by: User, **changes: Any) -> Tag:
    _ensure_codebook_editor(by, tag)
    unknown = set(changes) - TAG_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    check_fields(changes)
    _lock_codebook(tag.project_id)
    tag = Tag.objects.get(pk=tag.pk)
    siblings = Tag.objects.filter(project_id=tag.project_id)
    if "slug" in changes and changes["slug"] != tag.slug and siblings.filter(slug=changes["slug"]).exists():
        raise ValidationError({"slug": [f'A tag "{changes["slug"]}" already exists.']})
    parent = changes.get("parent")
    if parent is not None and parent.project_id != tag.project_id:
        raise ValidationError({"parent": [f'Unknown tag "{parent.slug}".']})
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
    _ensure_codebook_editor(by, tag)
    _lock_codebook(tag.project_id)
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
    _ensure_codebook_editor(by, source)
    if source.pk == into.pk:
        raise ValidationError({"into": ["Choose another tag to merge into."]})
    if source.project_id != into.project_id:
        raise ValidationError({"into": [f'Unknown tag "{into.slug}".']})
    _lock_codebook(source.project_id)
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
