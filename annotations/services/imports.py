"""Import writing: a validated plan written in one transaction, keeping ids, versions, timestamps and moderation."""

import copy
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from projects import access
from projects.models import Project, default_project
from search import indexing as search_index
from suggestions.indexing import paper_index_soon

from .. import history, import_lookups, importing, reader_cache, records, roles, safejson, selectors
from ..errors import PermissionDenied
from ..exports import iso, parse_iso
from ..models import Author, Claim, Coding, HistoryAction, Link, Paper, Status, Tag, User
from ..textrules import control_character_problem
from .bylines import byline_write

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
    *,
    document: Any,
    by: User | None,
    dry_run: bool = False,
    paper: str | None = None,
    skip_unplaced: bool = False,
    project: Project | None = None,
    propose_tags: bool = True,
) -> dict[str, Any]:
    """Import a native export, W3C annotations, Hypothesis rows (parsed JSON) or a REFI-QDA `.qdpx` / `.qdc`
    (bytes); all or nothing. Returns created/updated/unchanged per kind (and `skipped`, what was left out).

    `by` is the moderator importing (None from the shell, which is trusted). Usernames the file names
    that this instance lacks become inactive accounts with no usable password and no role: the record
    of who made what is kept, and no one can sign in as them until an admin gives them a password.
    `skip_unplaced` (Hypothesis rows only): import the rows that can be placed and report the others in
    `skipped`, instead of refusing the whole file. `propose_tags` (Hypothesis rows): a tag the codebook lacks
    becomes a proposed tag (listed in `proposed_tags`) instead of refusing the row.

    Everything is read and written in `project` (the default project when None): its papers, authors, codebook,
    claims and links. A paper slug, claim id or link id another project holds is refused, without saying more.
    """
    project = project or default_project()
    if by is not None and not roles.can_moderate(by, project):
        raise PermissionDenied("Only moderators can import.")
    if by is not None:
        roles.ensure_writable(by, project)
    elif project.archived:
        access.ensure_writable(project)
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
    import_lookups.prepare(doc, acting_username=acting, paper=paper, project=project, propose_tags=propose_tags)
    referenced = importing.referenced(doc)
    referenced["claims"] = _valid_uuids(referenced["claims"])
    referenced["links"] = _valid_uuids(referenced["links"])
    taken = selectors.taken_elsewhere(referenced, project)
    if taken:
        raise importing.ImportRefused(taken)
    # Checked and written in one transaction, so what was checked is what is written over.
    known = selectors.known_for_import(referenced, project)
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
                _import_write(plan, by=by, project=project)
        except IntegrityError as error:  # a concurrent write took an id or a link first
            raise importing.ImportRefused(
                {"": [f"The instance changed while importing ({error}); nothing was written. Try again."]}
            ) from error
    report: dict[str, Any] = dict(plan.report)
    proposed = [record["slug"] for record in plan.tags if record["status"] == "proposed"]
    if proposed:
        report["proposed_tags"] = proposed
    if doc.skipped or skipped:
        report["skipped"] = doc.skipped + [f"{path}: {' '.join(messages)}" for path, messages in skipped.items()]
    return report


def _parse(value: str | None):
    return parse_iso(value) if value else None


IMPORT_REASON = "import"


def _import_write(plan, *, by: User | None, project: Project) -> None:
    for username in plan.users:
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        user.save()
    users = {u.username: u.pk for u in User.objects.filter(username__in=_usernames(plan)).only("id", "username")}
    Author.objects.bulk_create(Author(project=project, **record) for record in plan.authors)
    named = {name for record in plan.papers for name in record["authors"]}
    authors = {a.name: a for a in Author.objects.filter(project=project, name__in=named)}
    new_papers = []
    for record in plan.papers:
        values = {key: record[key] for key in ("slug", "title", "year", "year_note", "venue", "doi", "url", "text")}
        paper = Paper.objects.create(project=project, **values)
        new_papers.append(paper.pk)
        byline_write(paper, [authors[name] for name in record["authors"]])
        # Its passages and vectors for suggestions, once the import commits (as an upload's).
        paper_index_soon(paper.pk)
        stamps = {key: _parse(record[key]) for key in ("created_at", "updated_at") if record[key]}
        if stamps:  # auto_now(_add) would overwrite them in save(); update() does not
            Paper.objects.filter(pk=paper.pk).update(**stamps)
    codebook = Tag.objects.filter(project=project)
    # A proposal the file brings is the importing moderator's to decide (the file does not say who proposed it).
    Tag.objects.bulk_create(
        Tag(project=project, **{**record, "parent": None}, proposed_by=by if record["status"] == "proposed" else None)
        for record in plan.tags
    )
    tags = dict(codebook.values_list("slug", "id"))
    for record in plan.tags:
        if record["parent"]:
            codebook.filter(slug=record["slug"]).update(parent_id=tags[record["parent"]])
    # bulk_create writes no history: the tags the file brought get their "created" row, as claims and links do.
    Tag.history.bulk_history_create(
        list(codebook.filter(slug__in=[record["slug"] for record in plan.tags])),
        default_user=by,
        default_change_reason=IMPORT_REASON,
        custom_historical_attrs={"history_action": HistoryAction.CREATED},
    )
    papers = dict(Paper.objects.filter(project=project, slug__in={r["paper"] for r in plan.claims_new + plan.claims_changed})
                  .values_list("slug", "id"))  # fmt: skip
    _write_items(Claim, plan.claims_new, plan.claims_changed, lambda r: _claim_values(r, papers, users), tags, by)
    _write_items(Link, plan.links_new, plan.links_changed, lambda r: _link_values(r, users), None, by)
    # Claims, codings and tags were written in bulk, past the signals that keep the reader's cache fresh.
    reader_cache.claims_changed(projects=[project.pk])
    # The new papers, and those whose claims the file brought or changed.
    search_index.papers_indexed({*papers.values(), *new_papers})


def _usernames(plan) -> set[str]:
    records = [*plan.claims_new, *plan.claims_changed, *plan.links_new, *plan.links_changed]
    return {r["created_by"] for r in records} | {r["moderated_by"] for r in records if r["moderated_by"]}


def _plain_values(record: records.Record, item: dict, users: dict[str, int]) -> dict[str, Any]:
    """The model values of an imported item's plain fields (see records), each read by its kind."""
    values: dict[str, Any] = {}
    for field in record.plain():
        value = item[field.key]
        if field.kind == records.USER:
            values[f"{field.key}_id"] = users[value] if value else None
            continue
        if field.kind == records.TIME:
            value = _parse(value)
        elif field.kind == records.OPTIONAL_TEXT:
            value = value or ""
        values[field.key] = value
    return values


def _claim_values(record: dict, papers: dict[str, int], users: dict[str, int]) -> dict[str, Any]:
    target = record["target"]
    return {
        "paper_id": papers[record["paper"]],
        **{column: target[column] for column in records.TARGET_COLUMNS},
        **_plain_values(records.CLAIM, record, users),
    }


def _link_values(record: dict, users: dict[str, int]) -> dict[str, Any]:
    return {
        "source_id": record["source"],
        "target_id": record["target"],
        **_plain_values(records.LINK, record, users),
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
