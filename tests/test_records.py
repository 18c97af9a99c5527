"""The claim and link records are defined once (annotations/records.py): a field added there reaches the native
export, the export rows, the import validator and writer, and the history, with nothing else changed.

The walk-through: the shipped record with `note` taken out stands for the record before `note` was added; putting
it back (the one line of records.py) is adding the field. Both states go through the public surface."""

import dataclasses
import json

import pytest

from annotations import exporting, history, records, selectors, services
from annotations.models import Claim
from tests.factories import ClaimFactory


def without(record: records.Record, key: str) -> records.Record:
    return dataclasses.replace(record, fields=tuple(field for field in record.fields if field.key != key))


def exported(user) -> dict:
    return json.loads("".join(exporting.native_chunks(exporting.export_set(user, {}))))


def reimported(user, document: dict, **changes) -> Claim:
    """The exported claim imported again with `changes`, as a newer version of it."""
    claim = document["claims"][0]
    claim.update(changes, version=claim["version"] + 1)
    services.claims_import(document=document, by=user)
    return Claim.objects.get(pk=claim["id"])


@pytest.mark.django_db
def test_a_field_added_to_the_claim_record_reaches_export_rows_import_and_history(moderator, monkeypatch):
    claim = ClaimFactory(note="First note.", statement="First statement.")

    # Before: the record has no `note`.
    monkeypatch.setattr(records, "CLAIM", without(records.CLAIM, "note"))
    document = exported(moderator)
    assert "note" not in document["claims"][0]
    row = next(selectors.claim_rows(Claim.objects.filter(pk=claim.pk)))
    assert not hasattr(row, "note")
    assert "note" not in records.CLAIM.tracked()
    stored = reimported(moderator, document, statement="Second statement.", note="Ignored note.")
    assert (stored.statement, stored.note) == ("Second statement.", "First note.")

    # After: the one line of records.py is back; nothing else differs.
    monkeypatch.undo()
    document = exported(moderator)
    # `pages` is derived from the paper's pages (exports/native.claim_exported), written after the target.
    keys = list(records.CLAIM.keys)
    assert list(document["claims"][0]) == [
        *keys[: keys.index("target") + 1],
        "pages",
        *keys[keys.index("target") + 1 :],
    ]
    assert document["claims"][0]["note"] == "First note."
    row = next(selectors.claim_rows(Claim.objects.filter(pk=claim.pk)))
    assert row.note == "First note."
    stored = reimported(moderator, document, note="Second note.")
    assert stored.note == "Second note."
    newest = history.entries(selectors.history_of(stored), Claim)[0]
    assert newest["changes"]["note"] == {"from": "First note.", "to": "Second note."}


@pytest.mark.django_db
def test_the_records_limits_are_the_model_fields():
    assert records.CLAIM.limit("speaker") == Claim._meta.get_field("speaker").max_length
    assert (
        records.CLAIM.limit("created_by")
        == Claim._meta.get_field("created_by").related_model._meta.get_field("username").max_length
    )
