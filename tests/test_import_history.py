"""An import leaves the audit trail whole: every claim and link it creates or updates gets its history row."""

import io
import json

import pytest
from django.core.management import call_command

from annotations.models import Claim, Link
from tests.exchange_world import build_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/export/claims.json"


def exported(api, moderator) -> dict:
    return json.loads(b"".join(api.as_user(moderator).get(EXPORT).streaming_content))


def history(api, user, kind: str, item_id: str) -> list[dict]:
    r = api.as_user(user).get(f"/api/v1/{kind}/{item_id}/history/")
    assert r.status_code == 200
    return r.json()["results"]


def test_import_creating_and_then_updating_a_claim_records_both_with_the_importing_user(api, analyst, moderator):
    build_world(analyst=analyst, moderator=moderator)
    document = exported(api, moderator)
    importer = UserFactory(username="imma", role="moderator")
    claim = document["claims"][0]
    claim["id"] = "00000000-0000-4000-8000-00000000000a"
    link = document["links"][0]
    link["id"], link["source"] = "00000000-0000-4000-8000-00000000000b", claim["id"]
    document["claims"], document["links"] = [claim], [link]

    r = api.as_user(importer).post("/api/v1/import/", document, format="json")
    assert r.status_code == 200, r.content
    created = history(api, importer, "claims", claim["id"])
    assert [(e["action"], e["by"], e["reason"]) for e in created] == [("created", "imma", "import")]
    assert created[0]["changes"]["statement"] == {"from": None, "to": claim["statement"]}
    assert created[0]["changes"]["tags"]["to"] == claim["tags"]
    link_rows = history(api, importer, "links", link["id"])
    assert [(e["action"], e["by"], e["reason"]) for e in link_rows] == [("created", "imma", "import")]

    claim["version"] += 1
    claim["statement"] = "Restated by the newer file."
    claim["tags"], claim["codings"] = [], []
    r = api.as_user(moderator).post("/api/v1/import/", document, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["claims"]["updated"] == 1
    updated = history(api, moderator, "claims", claim["id"])
    assert [(e["action"], e["by"], e["reason"]) for e in updated] == [
        ("edited", "mo", "import"),
        ("created", "imma", "import"),
    ]
    assert updated[0]["changes"]["statement"]["to"] == "Restated by the newer file."
    assert updated[0]["changes"]["tags"]["to"] == []


def test_the_shell_import_records_history_too_and_a_repeat_records_nothing(api, analyst, moderator, tmp_path):
    build_world(analyst=analyst, moderator=moderator)
    document = exported(api, moderator)
    Link.objects.all().delete()
    Claim.objects.all().delete()
    Claim.history.model.objects.all().delete()
    Link.history.model.objects.all().delete()
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    call_command("import_claims", str(path), "--as", "mo", stdout=io.StringIO())
    rows = Claim.history.model.objects.all()
    assert rows.count() == Claim.objects.count() == len(document["claims"])
    assert {(row.history_action, row.history_user.username, row.history_change_reason) for row in rows} == {
        ("created", "mo", "import")
    }
    call_command("import_claims", str(path), "--as", "mo", stdout=io.StringIO())
    assert Claim.history.model.objects.count() == len(document["claims"])
    assert Link.history.model.objects.count() == len(document["links"])
    assert set(Link.history.model.objects.values_list("history_action", "history_change_reason")) == {
        ("created", "import")
    }


def test_tags_an_import_brings_are_recorded_as_created_by_the_importing_user(api, moderator):
    from annotations.models import HistoryAction, Tag

    document = {
        "format": "sco-claims",
        "version": 1,
        "authors": [],
        "papers": [],
        "tags": [
            {"slug": "imported-parent", "name": "Parent", "description": "", "colour": "#123456", "parent": None},
            {
                "slug": "imported-child",
                "name": "Child",
                "description": "",
                "colour": "#654321",
                "parent": "imported-parent",
            },
        ],
        "claims": [],
        "links": [],
    }
    r = api.as_user(moderator).post("/api/v1/import/", document, format="json")
    assert r.status_code == 200, r.content
    for slug in ("imported-parent", "imported-child"):
        rows = list(Tag.objects.get(slug=slug).history.all())
        assert [(row.history_action, row.history_user, row.history_change_reason) for row in rows] == [
            (HistoryAction.CREATED, moderator, "import")
        ]
    assert Tag.objects.get(slug="imported-child").history.get().parent.slug == "imported-parent"
