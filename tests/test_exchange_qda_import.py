"""REFI-QDA import: the round trip native -> .qdpx -> an empty instance -> native, files of other tools, and
every bad input refused with nothing written."""

import io
import json
import zipfile

import pytest

from annotations.exports import refiqda
from tests.exchange_world import build_world
from tests.test_exchange_native import body, counts, empty_the_instance

QDPX = "/api/v1/export/project.qdpx"
QDC = "/api/v1/export/codebook.qdc"
NATIVE = "/api/v1/export/claims.json"
IMPORT = "/api/v1/import/"


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


def upload(api, user, content: bytes, name="project.qdpx", **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return (
        api.as_user(user).post(f"{IMPORT}?{query}", {"file": io.BytesIO(content)}, format="multipart")
        if name
        else api.as_user(user).post(f"{IMPORT}?{query}", content, content_type="application/zip")
    )


def native(api, user) -> dict:
    return json.loads(body(api.as_user(user).get(NATIVE)))


CARRIED = ("id", "paper", "target", "statement", "speaker", "stance", "tags", "codings", "note", "status",
           "created_by")  # fmt: skip


def test_round_trip_through_qdpx_keeps_claims_positions_codes_and_notes(api, moderator, world):
    before = native(api, moderator)
    qdpx = api.as_user(moderator).get(QDPX).content
    empty_the_instance()
    from tests.factories import UserFactory
    from annotations.models import Role

    importer = UserFactory(username="importer", role=Role.MODERATOR)
    r = upload(api, importer, qdpx)
    assert r.status_code == 200, r.json()
    after = native(api, importer)
    claims = lambda doc: sorted(({k: c[k] for k in CARRIED} for c in doc["claims"] if not c["deleted_at"]),
                                key=lambda c: c["id"])  # fmt: skip
    assert claims(after) == claims(before)
    links = lambda doc: sorted(({k: l[k] for k in ("id", "source", "target", "relation", "rationale", "status")}
                                for l in doc["links"] if not l["deleted_at"]), key=lambda l: l["id"])  # fmt: skip
    assert links(after) == links(before)
    assert after["tags"] == before["tags"]
    paper_keys = ("slug", "title", "year", "venue", "authors", "doi", "url", "text", "text_sha256")
    assert [{k: p[k] for k in paper_keys} for p in after["papers"]] == [
        {k: p[k] for k in paper_keys} for p in before["papers"]
    ]
    # A second import of the same file changes nothing.
    again = upload(api, importer, qdpx)
    assert again.status_code == 200
    assert again.json()["claims"]["created"] == 0
