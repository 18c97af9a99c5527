"""Checks of one value of an import file (text, time, id, username, moderation fields), each problem with its path."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.backends.base.operations import BaseDatabaseOperations

from .. import records
from ..exports import iso, parse_iso
from ..models import Claim, Status, User
from ..textrules import control_character_problem
from .records import Problems


def _column_range(model, name: str) -> tuple[int, int]:
    """The values an integer field holds on every database (SQLite alone would take up to 2**63 - 1)."""
    return BaseDatabaseOperations.integer_field_ranges[model._meta.get_field(name).get_internal_type()]


VERSION_RANGE = _column_range(Claim, "version")
OFFSET_RANGE = _column_range(Claim, "start")
# A day inside Python's datetime range, so that showing a moment in any time zone cannot overflow.
EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC) - timedelta(days=1)


def _check_text(item: dict, key: str, path: str, problems: Problems, *, required=False, limit=None) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        problems.add(f"{path}.{key}", f'"{key}" must be {"a non-empty" if required else "a"} string.')
        return ""
    if limit and len(value) > limit:
        problems.add(f"{path}.{key}", f'"{key}" is too long (at most {limit} characters).')
    if problem := control_character_problem(value):
        problems.add(f"{path}.{key}", problem)
    return value


def _whole_number_in(value: Any, bounds: tuple[int, int]) -> bool:
    low, high = bounds
    return not isinstance(value, bool) and isinstance(value, int) and low <= value <= high


def _check_time(item: dict, key: str, path: str, problems: Problems, *, required=False) -> str | None:
    value = item.get(key)
    if value is None:
        if required:
            problems.add(f"{path}.{key}", f'"{key}" is required (an ISO 8601 timestamp with its time zone).')
        return None
    try:
        moment = parse_iso(value)
    except (TypeError, ValueError, OverflowError):
        problems.add(f"{path}.{key}", f'"{key}" must be an ISO 8601 timestamp with its time zone, not {value!r}.')
        return None
    if not EARLIEST <= moment <= LATEST:
        problems.add(f"{path}.{key}", f'"{key}" must be between {iso(EARLIEST)} and {iso(LATEST)}, not {value!r}.')
        return None
    return iso(moment)


def _check_uuid(value: Any, path: str, problems: Problems) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        problems.add(path, f"Not a UUID: {value!r}.")
        return None


def _check_usernames(item: dict, path: str, problems: Problems) -> None:
    """The accounts a file names must be ones Django's own username validator accepts: the import creates them."""
    for key in ("created_by", "moderated_by"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            try:
                User.username_validator(value)
            except DjangoValidationError as error:
                problems.add(f"{path}.{key}", f'"{key}" is not a valid username: {" ".join(error.messages)}')


def _check_moderated(item: dict, path: str, problems: Problems) -> dict[str, Any]:
    status = item.get("status")
    if status not in Status.values:
        problems.add(f"{path}.status", f'Unknown status "{status}": use {", ".join(Status.values)}.')
    version = item.get("version")
    if not _whole_number_in(version, (1, VERSION_RANGE[1])):
        problems.add(f"{path}.version", f'"version" must be a whole number from 1 to {VERSION_RANGE[1]}.')
    created_by = _check_text(item, "created_by", path, problems, required=True, limit=records.CLAIM.limit("created_by"))
    moderated_by = item.get("moderated_by")
    if moderated_by is not None:
        moderated_by = _check_text(
            item, "moderated_by", path, problems, required=True, limit=records.CLAIM.limit("moderated_by")
        )
    _check_usernames(item, path, problems)
    created_at = _check_time(item, "created_at", path, problems, required=True)
    return {
        "status": status,
        "version": version,
        "created_by": created_by,
        "created_at": created_at,
        "updated_at": _check_time(item, "updated_at", path, problems) or created_at,
        "moderated_by": moderated_by,
        "moderated_at": _check_time(item, "moderated_at", path, problems),
        "moderation_reason": _check_text(item, "moderation_reason", path, problems),
        "deleted_at": _check_time(item, "deleted_at", path, problems),
    }


def _check_other_plain_fields(record, item: dict, path: str, problems: Problems, checked: dict) -> dict[str, Any]:
    """The plain fields of `record` that no check above took (a field newly added to records.py): a text by the
    limit of its model field, a time as a time; any other kind as given, for the model to refuse."""
    values: dict[str, Any] = {}
    for field in record.plain():
        if field.key in checked:
            continue
        if field.kind in (records.TEXT, records.OPTIONAL_TEXT):
            values[field.key] = _check_text(item, field.key, path, problems, limit=record.limit(field.key))
        elif field.kind == records.TIME:
            values[field.key] = _check_time(item, field.key, path, problems)
        else:
            values[field.key] = item.get(field.key)
    return values


def _duplicates(items: list, key: str, section: str, problems: Problems, normal: Callable = lambda v: v) -> set:
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get(key), str):
            continue
        value = normal(item[key])
        if value in seen:
            where = f"{section}[{seen[value]}]"
            problems.add(f"{section}[{index}].{key}", f"Duplicate {key} {item[key]!r}: also at {where}.")
        else:
            seen[value] = index
    return set(seen)


def _uuid_or_none(value: Any) -> str | None:
    try:
        return str(uuid.UUID(value))
    except (TypeError, ValueError, AttributeError):
        return None
