"""A codebook file merged into a project's codebook: tags matched by slug, created or updated, in one
transaction after the whole file has been checked against the project (nothing half-written)."""

from django.db import transaction

from projects.models import Project

from .. import history
from ..importing import ImportRefused
from ..models import HistoryAction, Tag, TagStatus, User
from .tags import _ensure_codebook_editor, _lock_codebook

FIELDS = ("name", "description", "colour")
IMPORT_REASON = "codebook import"


def _in_order(records: list[dict], parents: dict[str, str | None]) -> list[dict]:
    """The file's records, each after its parent when that parent is in the file too."""
    by_slug = {record["slug"]: record for record in records}
    ordered: list[dict] = []
    done: set[str] = set()

    def place(slug: str) -> None:
        if slug in done:
            return
        done.add(slug)
        parent = parents.get(slug)
        if parent in by_slug:
            place(parent)
        ordered.append(by_slug[slug])

    for record in records:
        place(record["slug"])
    return ordered


def _check_against(records: list[dict], stored: dict[str, Tag], where: dict[str, str]) -> dict[str, str | None]:
    """The codebook's parents once the file is merged in; refused when a parent is unknown or a loop appears."""
    parents = {slug: (tag.parent.slug if tag.parent else None) for slug, tag in stored.items()}
    problems: dict[str, list[str]] = {}
    for record in records:
        parents[record["slug"]] = record["parent"]
        if record["parent"] and record["parent"] not in stored and record["parent"] not in where:
            problems.setdefault(where[record["slug"]], []).append(
                f'The parent "{record["parent"]}" is neither in the file nor in the project\'s codebook.'
            )
    for record in records:
        seen, ancestor = {record["slug"]}, parents.get(record["slug"])
        while ancestor is not None:
            if ancestor in seen:
                problems.setdefault(where[record["slug"]], []).append(
                    f'The parents make a loop: "{record["slug"]}" would sit under itself.'
                )
                break
            seen.add(ancestor)
            ancestor = parents.get(ancestor)
    if problems:
        raise ImportRefused(problems)
    return parents


@transaction.atomic
def codebook_import(
    *, project: Project, by: User, records: list[dict], places: dict[str, str] | None = None, dry_run: bool = False
) -> dict[str, list[str]]:
    """Merge checked tag records (importing.codebook.read_codebook) into the project's codebook, by slug: new
    tags are created (accepted), tags whose fields differ are updated, the others left as they are; tags of the
    project the file does not name are kept. `places`: where each slug stands in the file, for the messages.
    Gives {created, updated, unchanged} as lists of slugs."""
    _ensure_codebook_editor(by, project)
    _lock_codebook(project.pk)
    stored = {tag.slug: tag for tag in Tag.objects.filter(project=project).select_related("parent")}
    where = places or {record["slug"]: record["slug"] for record in records}
    parents = _check_against(records, stored, where)
    report: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    for record in _in_order(records, parents):
        tag = stored.get(record["slug"])
        parent = stored.get(record["parent"]) if record["parent"] else None
        if tag is None:
            tag = Tag(project=project, slug=record["slug"], status=TagStatus.ACCEPTED)
            action, bucket = HistoryAction.CREATED, "created"
        else:
            same = all(getattr(tag, name) == record[name] for name in FIELDS) and tag.parent_id == (
                parent.pk if parent else None
            )
            if same:
                report["unchanged"].append(tag.slug)
                continue
            action, bucket = HistoryAction.EDITED, "updated"
        for name in FIELDS:
            setattr(tag, name, record[name])
        tag.parent = parent
        report[bucket].append(tag.slug)
        if dry_run:
            stored[tag.slug] = tag
            continue
        tag.full_clean(validate_unique=False)
        with history.attributed(tag, by=by, action=action, reason=IMPORT_REASON):
            tag.save()
        stored[tag.slug] = tag
    if dry_run:
        transaction.set_rollback(True)
    return report
