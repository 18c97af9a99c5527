"""Every write: one transaction each, the rules in one place for the API, pages, admin and commands."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import anchoring, roles
from .corpus import AuthorSpec, LoadReport, PaperSpec, TagSpec
from .errors import PermissionDenied, StaleVersion, ValidationError
from .models import Author, Claim, Link, Paper, PaperAuthor, Stance, Status, Tag, User
from .sanitize import clean_html

CLAIM_EDITABLE_FIELDS = {"target", "statement", "speaker", "stance", "tags", "note"}
LINK_EDITABLE_FIELDS = {"relation", "rationale"}


class Decision:
    APPROVE = "approve"
    REJECT = "reject"
    CHOICES = (APPROVE, REJECT)


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


def _ensure_can_edit(user: User, item: Claim | Link) -> None:
    if not roles.can_edit(user, item):
        noun = "claim" if isinstance(item, Claim) else "link"
        if item.created_by_id != user.pk:
            raise PermissionDenied(f"Only the analyst who made this {noun} or a moderator can change it.")
        raise PermissionDenied(f"This {noun} is {item.status}; only a moderator can change it now.")


def _check_version(item: Claim | Link, version: int | None) -> None:
    if version is None:
        raise ValidationError({"version": ["Give the version you read, so that no one else's change is overwritten."]})
    if item.version != version:
        raise StaleVersion(current=item.version)


def _apply_anchor(claim: Claim, anchor: anchoring.Anchor) -> None:
    claim.start, claim.end = anchor.start, anchor.end
    claim.exact, claim.prefix, claim.suffix = anchor.exact, anchor.prefix, anchor.suffix


@transaction.atomic
def claim_create(
    *,
    created_by: User,
    paper: Paper,
    target: dict[str, Any],
    statement: str,
    stance: str = Stance.AFFIRMS,
    speaker: str | None = None,
    tags: Iterable[Tag] = (),
    note: str = "",
    status: str = Status.PENDING,
) -> Claim:
    _ensure_annotator(created_by)
    claim = Claim(
        paper=paper,
        statement=statement.strip(),
        speaker=(speaker or "").strip(),
        stance=stance,
        note=clean_html(note),
        status=status,
        created_by=created_by,
    )
    _apply_anchor(claim, resolve_target_on(paper, target))
    claim.save()
    claim.tags.set(list(tags))
    return claim


@transaction.atomic
def claim_update(*, claim_id: UUID, by: User, version: int | None, **changes: Any) -> Claim:
    unknown = set(changes) - CLAIM_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    claim = Claim.objects.select_for_update().select_related("paper").get(pk=claim_id, deleted_at__isnull=True)
    _ensure_can_edit(by, claim)
    _check_version(claim, version)
    if "target" in changes:
        _apply_anchor(claim, resolve_target_on(claim.paper, changes.pop("target")))
    if "statement" in changes:
        claim.statement = changes.pop("statement").strip()
    if "speaker" in changes:
        claim.speaker = (changes.pop("speaker") or "").strip()
    if "note" in changes:
        claim.note = clean_html(changes.pop("note"))
    tags = changes.pop("tags", None)
    for field, value in changes.items():
        setattr(claim, field, value)
    claim.version += 1
    claim.save()  # save(), not update(): history and signals see it
    if tags is not None:
        claim.tags.set(list(tags))
    return claim


@transaction.atomic
def claim_delete(*, claim_id: UUID, by: User) -> Claim:
    """Soft delete: the claim disappears from every view but stays in the database for moderators."""
    claim = Claim.objects.select_for_update().get(pk=claim_id, deleted_at__isnull=True)
    _ensure_can_edit(by, claim)
    claim.deleted_at = timezone.now()
    claim.version += 1
    claim.save()
    return claim


def _moderate(item: Claim | Link, *, by: User, decision: str, reason: str) -> Claim | Link:
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can approve or reject.")
    if decision not in Decision.CHOICES:
        raise ValidationError({"decision": [f'Unknown decision "{decision}": use "approve" or "reject".']})
    reason = (reason or "").strip()
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": ["Say why it is rejected, so the analyst can act on it."]})
    if item.status == Status.ORPHANED and decision == Decision.APPROVE:
        raise ValidationError({"decision": ["An orphaned claim must be placed on the text again before approval."]})
    item.status = Status.APPROVED if decision == Decision.APPROVE else Status.REJECTED
    item.moderated_by = by
    item.moderated_at = timezone.now()
    item.moderation_reason = reason
    item.version += 1
    item.save()
    return item


@transaction.atomic
def claim_moderate(*, claim_id: UUID, by: User, decision: str, reason: str = "") -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim_id, deleted_at__isnull=True)
    return _moderate(claim, by=by, decision=decision, reason=reason)


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
    if source.pk == target.pk:
        raise ValidationError({"target": ["A claim cannot be linked to itself."]})
    duplicate = Link.objects.filter(source=source, target=target, relation=relation, deleted_at__isnull=True)
    if duplicate.exists():
        raise ValidationError({"non_field_errors": [f"These claims are already linked: source {relation} target."]})
    link = Link(
        source=source,
        target=target,
        relation=relation,
        rationale=clean_html(rationale),
        status=status,
        created_by=created_by,
    )
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:  # a concurrent duplicate won the race
        raise ValidationError(
            {"non_field_errors": [f"These claims are already linked: source {relation} target."]}
        ) from error
    return link


@transaction.atomic
def link_update(*, link_id: UUID, by: User, version: int | None, **changes: Any) -> Link:
    unknown = set(changes) - LINK_EDITABLE_FIELDS
    if unknown:
        raise ValidationError({name: ["This field cannot be changed."] for name in sorted(unknown)})
    link = Link.objects.select_for_update().get(pk=link_id, deleted_at__isnull=True)
    _ensure_can_edit(by, link)
    _check_version(link, version)
    if "rationale" in changes:
        link.rationale = clean_html(changes["rationale"])
    if "relation" in changes and changes["relation"] != link.relation:
        clash = Link.objects.filter(
            source_id=link.source_id, target_id=link.target_id, relation=changes["relation"], deleted_at__isnull=True
        )
        if clash.exists():
            raise ValidationError({"relation": [f"These claims are already linked with {changes['relation']}."]})
        link.relation = changes["relation"]
    link.version += 1
    link.save()
    return link


@transaction.atomic
def link_delete(*, link_id: UUID, by: User) -> Link:
    link = Link.objects.select_for_update().get(pk=link_id, deleted_at__isnull=True)
    _ensure_can_edit(by, link)
    link.deleted_at = timezone.now()
    link.version += 1
    link.save()
    return link


@transaction.atomic
def link_moderate(*, link_id: UUID, by: User, decision: str, reason: str = "") -> Link:
    link = Link.objects.select_for_update().get(pk=link_id, deleted_at__isnull=True)
    return _moderate(link, by=by, decision=decision, reason=reason)


@transaction.atomic
def tag_create(
    *, by: User, slug: str, name: str, description: str = "", colour: str = "#888888", parent: Tag | None = None
) -> Tag:
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can edit the codebook.")
    if Tag.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f'A tag "{slug}" already exists.']})
    tag = Tag(slug=slug, name=name.strip(), description=description.strip(), colour=colour.lower(), parent=parent)
    tag.full_clean()
    tag.save()
    return tag


@transaction.atomic
def tag_update(*, tag: Tag, by: User, **changes: Any) -> Tag:
    if not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can edit the codebook.")
    parent = changes.get("parent", tag.parent)
    ancestor = parent
    while ancestor is not None:
        if ancestor.pk == tag.pk:
            raise ValidationError({"parent": ["A tag cannot be placed under itself or one of its descendants."]})
        ancestor = ancestor.parent
    for field, value in changes.items():
        setattr(tag, field, value.strip() if isinstance(value, str) else value)
    tag.colour = tag.colour.lower()
    tag.full_clean()
    tag.save()
    return tag


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


def paper_upsert(spec: PaperSpec, report: LoadReport) -> Paper:
    """Create the paper, or bring its metadata (and, while no claim stands on it, its text) up to date."""
    values = {"title": spec.title, "year": spec.year, "year_note": spec.year_note, "venue": spec.venue}
    paper = Paper.objects.filter(slug=spec.slug).first()
    authors = [_author_upsert(author, report) for author in spec.authors]
    if paper is None:
        paper = Paper.objects.create(slug=spec.slug, text=spec.text, **values)
        report.created["papers"] += 1
        changed_bylines = True
    else:
        changed = _sync(paper, values)
        if paper.text != spec.text:
            placed = paper.claims.count()
            if placed:
                raise ValidationError(
                    {
                        "text": [
                            f"The text of {spec.slug!r} differs from the stored one and {placed} claims stand on it; "
                            "replacing a text under claims needs a revision, which re-anchors them."
                        ]
                    }
                )
            paper.text = spec.text
            changed = True
        current = list(paper.bylines.order_by("position").values_list("author_id", flat=True))
        changed_bylines = current != [author.pk for author in authors]
        if changed:
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
def corpus_load(*, papers: Iterable[PaperSpec], tags: Iterable[TagSpec] = ()) -> LoadReport:
    """Load papers and codebook entries; loading the same files again changes nothing."""
    report = LoadReport()
    for spec in papers:
        paper_upsert(spec, report)
    for tag_spec in tags:
        _tag_upsert(tag_spec, report)
    return report


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
    *, document: Any, by: User | None, dry_run: bool = False, paper: str | None = None
) -> dict[str, dict[str, int]]:
    """Import a native export or W3C annotations; all or nothing. Returns created/updated/unchanged per kind.

    `by` is the moderator importing (None from the shell, which is trusted). Usernames the file names
    that this instance lacks become inactive accounts with no usable password and no role: the record
    of who made what is kept, and no one can sign in as them until an admin gives them a password.
    """
    from . import importing, selectors

    if by is not None and not roles.can_moderate(by):
        raise PermissionDenied("Only moderators can import.")
    doc = importing.read(document, acting_username=by.username if by else None, paper=paper)
    referenced = importing.referenced(doc)
    referenced["claims"] = _valid_uuids(referenced["claims"])
    referenced["links"] = _valid_uuids(referenced["links"])
    # Checked and written in one transaction, so what was checked is what is written over.
    plan = importing.validate(doc, selectors.known_for_import(referenced))
    if not dry_run:
        try:
            with transaction.atomic():
                _import_write(plan)
        except IntegrityError as error:  # a concurrent write took an id or a link first
            raise importing.ImportRefused(
                {"": [f"The instance changed while importing ({error}); nothing was written. Try again."]}
            ) from error
    return plan.report


def _parse(value: str | None):
    from .exports import parse_iso

    return parse_iso(value) if value else None


def _import_write(plan) -> None:
    for username in plan.users:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
    users = {u.username: u.pk for u in User.objects.filter(username__in=_usernames(plan)).only("id", "username")}
    Author.objects.bulk_create(Author(**record) for record in plan.authors)
    for record in plan.papers:
        values = {key: record[key] for key in ("slug", "title", "year", "year_note", "venue", "text")}
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
    papers = dict(Paper.objects.filter(slug__in={r["paper"] for r in plan.claims_new + plan.claims_changed})
                  .values_list("slug", "id"))  # fmt: skip
    _write_items(Claim, plan.claims_new, plan.claims_changed, lambda r: _claim_values(r, papers, users), tags)
    _write_items(Link, plan.links_new, plan.links_changed, lambda r: _link_values(r, users), None)


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


def _write_items(model, new: list[dict], changed: list[dict], values, tags: dict[str, int] | None) -> None:
    """Create and update claims or links with their stored timestamps, in batches."""
    for start in range(0, len(new), IMPORT_BATCH_SIZE):
        batch = new[start : start + IMPORT_BATCH_SIZE]
        items = [model(id=UUID(r["id"]), **values(r)) for r in batch]
        model.objects.bulk_create(items)
        # bulk_create let auto_now(_add) stamp the current time; put the file's back (bulk_update does not).
        for item, record in zip(items, batch, strict=True):
            item.created_at, item.updated_at = _parse(record["created_at"]), _parse(record["updated_at"])
        model.objects.bulk_update(items, ["created_at", "updated_at"])
        if tags is not None:
            Claim.tags.through.objects.bulk_create(
                Claim.tags.through(claim_id=UUID(r["id"]), tag_id=tags[slug]) for r in batch for slug in r["tags"]
            )
    for record in changed:
        model.objects.filter(pk=record["id"]).update(**values(record))
        if tags is not None:
            Claim.objects.get(pk=record["id"]).tags.set([tags[slug] for slug in record["tags"]])
