"""The claim and link records, defined once: their fields in the order the native format writes them, the kind
of each, and the model field behind it.

Read by the native presenter (exports/native.py), the import validator (importing/items.py: its keys, its limits
and the check of a plain field), the import writer (services/imports.py), the history's tracked fields
(history.py) and the export rows (selectors/exports.py, typed by `row_class`). Adding a field to Claim therefore
touches the model, its migration, one line here and the tests that pin it; see docs/architecture.md.
"""

from dataclasses import dataclass, make_dataclass
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

from django.core.validators import MaxLengthValidator

from .models import Claim, Link, User

# A plain field is written and read by its kind alone; a shaped one (an id, the paper, the target, the tags and
# codings, a link's ends) each consumer writes by hand, because its shape differs from the column.
TEXT = "text"
OPTIONAL_TEXT = "optional text"  # stored as "", written as null
CHOICE = "choice"
NUMBER = "number"
TIME = "time"  # an aware datetime, written as ISO 8601 in UTC
USER = "user"  # a foreign key to User, written as the username
SHAPED = "shaped"


@dataclass(frozen=True)
class Field:
    key: str
    kind: str = TEXT
    tracked: bool = False  # shown in the item's history
    # The model fields behind it; by default the field named like the key.
    columns: tuple[str, ...] = ()

    @property
    def stored_in(self) -> tuple[str, ...]:
        return self.columns or (self.key,)


@dataclass(frozen=True)
class Record:
    model: type
    fields: tuple[Field, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(field.key for field in self.fields)

    def plain(self) -> tuple[Field, ...]:
        return tuple(field for field in self.fields if field.kind != SHAPED)

    def tracked(self) -> list[str]:
        """The fields an item's history compares, by column (a claim's target as start, end, exact...)."""
        names = []
        for field in self.fields:
            if field.tracked:
                names.extend(field.stored_in if field.kind == SHAPED and field.columns else (field.key,))
        return names

    def limit(self, key: str) -> int | None:
        """The longest text the model field behind `key` holds (its max_length or its MaxLengthValidator)."""
        field = next(f for f in self.fields if f.key == key)
        if field.kind == USER:
            return User._meta.get_field("username").max_length
        model_field = self.model._meta.get_field(field.stored_in[0])
        if model_field.max_length:
            return model_field.max_length
        return next((v.limit_value for v in model_field.validators if isinstance(v, MaxLengthValidator)), None)


TARGET_COLUMNS = ("start", "end", "exact", "prefix", "suffix")

MODERATED = (
    Field("status", CHOICE, tracked=True),
    Field("version", NUMBER),
    Field("created_by", USER),
    Field("created_at", TIME),
    Field("updated_at", TIME),
    Field("moderated_by", USER),
    Field("moderated_at", TIME),
    Field("moderation_reason", tracked=True),
    Field("deleted_at", TIME, tracked=True),
)

CLAIM = Record(
    Claim,
    (
        Field("id", SHAPED),
        Field("paper", SHAPED),
        Field("target", SHAPED, tracked=True, columns=TARGET_COLUMNS),
        Field("statement", tracked=True),
        Field("speaker", OPTIONAL_TEXT, tracked=True),
        Field("stance", CHOICE, tracked=True),
        Field("tags", SHAPED, tracked=True),
        Field("codings", SHAPED, tracked=True),
        Field("note", tracked=True),
        # Where a revision of the paper's text left the claim (the revision itself is not part of the format).
        Field("anchor_state", CHOICE),
        Field("anchor_score", NUMBER),
        Field("status_before_orphaned", CHOICE),
        *MODERATED,
    ),
)

LINK = Record(
    Link,
    (
        Field("id", SHAPED),
        Field("source", SHAPED),
        Field("target", SHAPED),
        Field("relation", CHOICE, tracked=True),
        Field("rationale", tracked=True),
        *MODERATED,
    ),
)


class CodingRow(NamedTuple):
    tag: str  # the tag's slug
    stance: str


# What the export rows carry beyond the record's plain fields (users by username).
CLAIM_ROW_SHAPE: tuple[tuple[str, type], ...] = (
    ("id", UUID),
    ("paper_id", int),
    ("paper_slug", str),
    *((column, Any) for column in TARGET_COLUMNS),
    ("codings", tuple),  # of CodingRow, by tag slug
    ("pages", Any),  # [first, last] (1-based) when the paper has pages, else None (pages.pages_of)
)
LINK_ROW_SHAPE: tuple[tuple[str, type], ...] = (("id", UUID), ("source_id", UUID), ("target_id", UUID))


@cache
def row_class(record: Record) -> type:
    """The typed row the presenters read for `record` (ClaimRow, LinkRow): its shaped columns, then every plain
    field of the record by key; frozen, built by keyword."""
    shape = CLAIM_ROW_SHAPE if record.model is Claim else LINK_ROW_SHAPE
    fields = [*shape, *((field.key, Any) for field in record.plain())]
    return make_dataclass(f"{record.model.__name__}Row", fields, frozen=True, slots=True, kw_only=True)
