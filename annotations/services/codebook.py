"""A codebook file merged into a project's codebook: tags matched by slug, created or updated, in one
transaction after the whole file has been checked against the project (nothing half-written)."""

from django.db import transaction

from projects.models import Project

from ..importing import ImportRefused
from ..importing.records import runs_into_a_loop
from ..models import HistoryAction, Tag, TagStatus, User
from .tags import _ensure_codebook_editor, _lock_codebook

FIELDS = ("name", "description", "colour")
IMPORT_REASON = "codebook import"


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
        if runs_into_a_loop(record["slug"], parents):
            problems.setdefault(where[record["slug"]], []).append(
                f'The parents make a loop: "{record["slug"]}" would sit under itself.'
            )
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
    created: list[Tag] = []
    updated: list[Tag] = []
    for record in records:
        tag = stored.get(record["slug"])
        if tag is None:
            tag = Tag(project=project, slug=record["slug"], status=TagStatus.ACCEPTED)
            created.append(tag)
            report["created"].append(tag.slug)
        elif all(getattr(tag, name) == record[name] for name in FIELDS) and record["parent"] == (
            tag.parent.slug if tag.parent else None
        ):
            report["unchanged"].append(tag.slug)
            continue
        else:
            updated.append(tag)
            report["updated"].append(tag.slug)
        for name in FIELDS:
            setattr(tag, name, record[name])
    if dry_run:
        transaction.set_rollback(True)  # nothing was written; the lock on the codebook goes with it
        return report
    # In bulk (a codebook may hold thousands of tags): the new tags, then their parents, one UPDATE per parent
    # (bulk_update's CASE per row took 11 s for 1,000 tags); a changed tag is updated alone. No full_clean:
    # importing.codebook checked each field and _check_against the parents.
    Tag.objects.bulk_create(created, batch_size=500)
    ids = dict(Tag.objects.filter(project=project).values_list("slug", "id"))
    children: dict[int, list[int]] = {}
    for tag in created:
        tag.pk = ids[tag.slug]
        if parents[tag.slug]:
            children.setdefault(ids[parents[tag.slug]], []).append(tag.pk)
    for parent_id, pks in children.items():
        Tag.objects.filter(pk__in=pks).update(parent_id=parent_id)
    for tag in updated:
        tag.parent_id = ids[parents[tag.slug]] if parents[tag.slug] else None
        Tag.objects.filter(pk=tag.pk).update(**{name: getattr(tag, name) for name in FIELDS}, parent_id=tag.parent_id)
    # One history row per tag written, as the services write them one by one.
    for tags, action in ((created, HistoryAction.CREATED), (updated, HistoryAction.EDITED)):
        if tags:
            Tag.history.bulk_history_create(
                list(Tag.objects.filter(pk__in=[tag.pk for tag in tags])),
                batch_size=500,
                default_user=by,
                default_change_reason=IMPORT_REASON,
                custom_historical_attrs={"history_action": action},
            )
    return report
