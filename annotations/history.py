"""The audit trail of claims and links (and of tags and papers' metadata): one history row per command, and its presentation as entries.

django-simple-history stores the rows. Services write them explicitly (one row per command, with its
author, action and reason, tags included) instead of letting `save()` and each `tags.set()` write their
own; any other save (an admin form, the shell) still gets a row from the library's signals, with the
request's user from its middleware and an action inferred here.
"""

from datetime import datetime
from typing import Any

from django.db.models import Model
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from . import codings, records
from .models import Claim, Coding, HistoryAction, Link, User, claim_history, link_history

EMPTY = ("", None, [])
_RECORDS = {Claim: claim_history, Link: link_history}


class quiet:
    """Within this block, saves and tag changes of `item` write no history row (the service writes one)."""

    def __init__(self, item: Claim | Link):
        self.item = item

    def __enter__(self):
        self.item.skip_history_when_saving = True
        return self.item

    def __exit__(self, *exc_info):
        del self.item.skip_history_when_saving


class attributed:
    """Within this block, saves of `instance` (a tag, a paper) are recorded as `action` by `by`, with `reason`:
    the library's own per-save row, told who and why instead of guessing from the request."""

    def __init__(self, instance: Model, *, by: User | None, action: str, reason: str = ""):
        self.instance, self.values = instance, {"_history_user": by, "_history_action": action}
        if reason:
            self.values["_change_reason"] = reason

    def __enter__(self):
        for name, value in self.values.items():
            setattr(self.instance, name, value)
        return self.instance

    def __exit__(self, *exc_info):
        for name in self.values:
            if hasattr(self.instance, name):
                delattr(self.instance, name)


def record(item: Claim | Link, *, by: User | None, action: str, reason: str = "", codings: list | None = None) -> None:
    """Write the one history row of a command on `item`, as it now stands (tags included). `codings`: all of a
    claim's codings, when the caller has just written them (they are then not read back)."""
    item._history_user = by
    item._history_action = action
    item._change_reason = reason or None
    if codings is not None:
        item._codings_written = codings
    try:
        _RECORDS[type(item)].create_historical_record(item, "+" if action == HistoryAction.CREATED else "~")
    finally:
        del item._history_user, item._history_action, item._change_reason
        if codings is not None:
            del item._codings_written


def record_many(items: list[Claim] | list[Link], *, by: User | None, action: str, reason: str = "") -> None:
    """One history row per claim or link for a bulk change (a text revision moves thousands, an import
    creates them), tags included, in a few INSERTs per batch instead of a save per item."""
    if not items:
        return
    model = type(items[0])
    rows = model.history.bulk_history_create(
        items,
        batch_size=500,
        update=action != HistoryAction.CREATED,
        default_user=by,
        default_change_reason=reason,
        custom_historical_attrs={"history_action": action},
    )
    if model is not Claim:
        return
    tagged: dict[Any, list] = {}
    for through in Coding.objects.filter(claim_id__in=[claim.pk for claim in items]):
        tagged.setdefault(through.claim_id, []).append(through)
    tag_rows = Claim.history.model.tags.model
    tag_rows.objects.bulk_create(
        [
            # `id` is the coding's own id, as the library's per-save rows keep it.
            tag_rows(
                id=through.id, history=row, claim_id=through.claim_id, tag_id=through.tag_id, stance=through.stance
            )
            for row, claim in zip(rows, items, strict=True)
            for through in tagged.get(claim.pk, [])
        ],
        batch_size=500,
    )


@receiver(pre_create_historical_record)
def _set_action(sender, instance: Model, history_instance, **kwargs) -> None:
    action = getattr(instance, "_history_action", None)
    if action is None:
        action = {"+": HistoryAction.CREATED, "-": HistoryAction.DELETED}.get(
            history_instance.history_type, HistoryAction.EDITED
        )
    history_instance.history_action = action


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _state(row, fields: list[str]) -> dict[str, Any]:
    state = {}
    for field in fields:
        if field in ("tags", "codings"):
            # Prefetched by selectors.history_of; a tag deleted since is shown by its id. Tags as sorted
            # slugs; codings as sorted "slug:stance", so that flipping one tag's stance is a change too.
            slugs = {
                m2m.tag.slug if m2m.tag else f"#{m2m.tag_id}": m2m.stance for m2m in row.historicalcoding_set.all()
            }
            state[field] = sorted(slugs) if field == "tags" else codings.pairs(slugs)
        else:
            state[field] = _plain(getattr(row, field))
    return state


def _changes(before: dict[str, Any] | None, state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What a row changed, field by field ({from, to}); a first row, its fields that are not empty."""
    if before is None:
        return {name: {"from": None, "to": value} for name, value in state.items() if value not in EMPTY}
    return {name: {"from": before[name], "to": value} for name, value in state.items() if before[name] != value}


def _entry(row, changes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "at": row.history_date,
        "by": row.history_user.username if row.history_user else None,
        "action": row.history_action,
        "changes": changes,
        "reason": row.history_change_reason or "",
    }


def entries(rows: list, model: type[Claim] | type[Link]) -> list[dict[str, Any]]:
    """History rows, oldest first, as entries newest first: {at, by, action, changes: {field: {from, to}}, reason}.

    A creation lists the fields it set (from null); every other entry the fields that differ from the row before.
    """
    # The fields compared come from the record definitions (records.py).
    fields = (records.CLAIM if model is Claim else records.LINK).tracked()
    result = []
    previous: dict[str, Any] | None = None
    for row in rows:
        state = _state(row, fields)
        result.append(_entry(row, _changes(previous, state)))
        previous = state
    result.reverse()
    return result


TAG_FIELDS = ("slug", "name", "description", "colour", "parent", "status")


def tag_entries(rows: list, slugs: dict[int, str]) -> list[dict[str, Any]]:
    """A codebook's history rows (every tag's, oldest first) as entries newest first, each naming its tag:
    {tag, at, by, action, changes: {field: {from, to}}, reason}. A parent is shown by its slug (`slugs`: tag id →
    slug, the tags gone included), so a merged or deleted tag's history still reads."""
    result = []
    previous: dict[int, dict[str, Any]] = {}
    for row in rows:
        state = {field: getattr(row, field) for field in TAG_FIELDS if field != "parent"}
        state["parent"] = slugs.get(row.parent_id, f"#{row.parent_id}") if row.parent_id else None
        changes = _changes(previous.get(row.id), state) if row.history_type != "-" else {}
        result.append({"tag": row.slug, **_entry(row, changes)})
        previous[row.id] = state
    result.reverse()
    return result
