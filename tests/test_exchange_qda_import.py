"""REFI-QDA import: the round trip native -> .qdpx -> an empty instance -> native, files of other tools, the
codebook (.qdc), and every bad input refused with its place named and nothing written."""

import io
import json
import uuid
import zipfile

import pytest
from lxml import etree

from annotations.exports import refiqda
from annotations.importing import refiqda as qdpx_reader
from annotations.models import Claim, Link, Paper, Role, Tag
from tests.exchange_world import build_world
from tests.factories import UserFactory
from tests.test_exchange_native import body, counts, empty_the_instance

QDPX = "/api/v1/export/project.qdpx"
QDC = "/api/v1/export/codebook.qdc"
NATIVE = "/api/v1/export/claims.json"
IMPORT = "/api/v1/import/"
CARRIED = ("id", "paper", "target", "statement", "speaker", "stance", "tags", "codings", "note", "status",
           "created_by")  # fmt: skip
LINK_CARRIED = ("id", "source", "target", "relation", "rationale", "status", "created_by")
PAPER_CARRIED = ("slug", "title", "year", "venue", "authors", "doi", "url", "text", "text_sha256")


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


def upload(api, user, content: bytes, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return api.as_user(user).post(f"{IMPORT}?{query}", {"file": io.BytesIO(content)}, format="multipart")


def native(api, user) -> dict:
    return json.loads(body(api.as_user(user).get(NATIVE)))


def carried(items: list[dict], keys) -> list[dict]:
    alive = (item for item in items if not item.get("deleted_at"))
    return sorted(({key: item[key] for key in keys} for item in alive), key=lambda item: item.get("id", ""))


def test_round_trip_through_qdpx_keeps_claims_positions_codes_and_notes(api, moderator, world):
    Paper.objects.filter(slug="masuda-2010").update(doi="10.1000/sco.2010")
    before = native(api, moderator)
    qdpx = b"".join(api.as_user(moderator).get(QDPX).streaming_content)
    empty_the_instance()
    importer = UserFactory(username="importer", role=Role.MODERATOR)

    r = upload(api, importer, qdpx)

    assert r.status_code == 200, r.json()
    after = native(api, importer)
    assert carried(after["claims"], CARRIED) == carried(before["claims"], CARRIED)
    assert carried(after["links"], LINK_CARRIED) == carried(before["links"], LINK_CARRIED)
    assert after["tags"] == before["tags"]  # slugs, names, descriptions, colours and the hierarchy
    assert carried(after["papers"], PAPER_CARRIED) == carried(before["papers"], PAPER_CARRIED)
    # What the format cannot carry (docs/exchange.md): versions and moderation start again.
    assert {claim["version"] for claim in after["claims"]} == {1}
    again = upload(api, importer, qdpx)
    assert again.status_code == 200
    assert again.json()["claims"] == {"created": 0, "updated": 0, "unchanged": 4}


def test_the_codebook_qdc_validates_and_imports_into_an_empty_instance(api, moderator, world):
    r = api.as_user(moderator).get(QDC)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/xml")
    schema = refiqda.codebook_schema()
    assert schema.validate(etree.fromstring(r.content)), schema.error_log
    before = native(api, moderator)["tags"]
    empty_the_instance()
    importer = UserFactory(username="importer", role=Role.MODERATOR)

    imported = api.as_user(importer).post(IMPORT, r.content, content_type="application/xml")

    assert imported.status_code == 200, imported.json()
    assert imported.json()["tags"]["created"] == 3
    assert native(api, importer)["tags"] == before


FOREIGN_TEXT = "Interview one.\nThe SCO is a club of autocrats, she said. Nothing else."


def foreign_project(*, selection=(15, 54), code_ref=None, extra_source="", doctype="") -> bytes:
    """A project as another tool writes it: its own GUIDs, code names with spaces, the text inline."""
    code, child, user, note = (str(uuid.uuid4()) for _ in range(4))
    start, end = selection
    qde = f"""<?xml version="1.0" encoding="utf-8"?>{doctype}
<Project xmlns="urn:QDA-XML:project:1.0" name="Interviews" origin="QualCoder 3.5">
  <Users><User guid="{user}" name="Jane Doe"/></Users>
  <CodeBook><Codes>
    <Code guid="{code}" name="Regime type" isCodable="true" color="#abc">
      <Description>What the speaker says of the regimes.</Description>
      <Code guid="{child}" name="Club of autocrats" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{uuid.uuid4()}" name="Interview 1.txt" creatingUser="{user}">
      <PlainTextContent>{FOREIGN_TEXT}</PlainTextContent>
      <PlainTextSelection guid="{uuid.uuid4()}" name="autocrats" startPosition="{start}" endPosition="{end}"
          creatingUser="{user}" creationDateTime="2024-05-01T10:00:00Z">
        <Coding guid="{uuid.uuid4()}" creatingUser="{user}"><CodeRef targetGUID="{code_ref or child}"/></Coding>
        <NoteRef targetGUID="{note}"/>
      </PlainTextSelection>
    </TextSource>{extra_source}
  </Sources>
  <Notes><Note guid="{note}" name="memo"><PlainTextContent>Said with irony.</PlainTextContent></Note></Notes>
</Project>"""
    return zipped({"project.qde": qde.encode("utf-8")})


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_project_from_another_tool_imports_its_text_sources_selections_and_codes(api, moderator, db):
    picture = f'\n    <PictureSource guid="{uuid.uuid4()}" name="photo.jpg" path="internal://photo.jpg"/>'

    r = upload(api, moderator, foreign_project(extra_source=picture))

    assert r.status_code == 200, r.json()
    assert r.json()["claims"]["created"] == 1
    assert "only text sources are imported" in " ".join(r.json()["skipped"])
    paper = Paper.objects.get()
    assert (paper.slug, paper.title, paper.text) == ("interview-1-txt", "Interview 1.txt", FOREIGN_TEXT)
    assert Tag.objects.get(slug="club-of-autocrats").parent.slug == "regime-type"
    assert Tag.objects.get(slug="regime-type").colour == "#aabbcc"
    claim = Claim.objects.get()
    assert (claim.start, claim.end, claim.exact) == (15, 54, FOREIGN_TEXT[15:54])
    assert claim.statement == "autocrats"  # the selection's name, in the absence of a description
    assert claim.note == "Said with irony."
    assert [c.tag.slug for c in claim.codings.all()] == ["club-of-autocrats"]
    assert claim.created_by.username == "Jane_Doe"  # an inactive account keeps who coded it
    assert claim.status == Claim.Status.PENDING


def refused(api, moderator, content: bytes, where: str, words: str, **params):
    before = counts()
    r = upload(api, moderator, content, **params)
    assert r.status_code == 400, r.content
    problems = r.json()
    assert any(where in path and words in " ".join(messages) for path, messages in problems.items()), problems
    assert counts() == before
    return problems


@pytest.mark.parametrize("dry_run", ["false", "true"])
def test_bad_qdpx_files_are_refused_with_their_place_and_nothing_written(api, moderator, world, dry_run):
    refused(api, moderator, b"PK\x03\x04 this is no zip at all", "file", "not a zip", dry_run=dry_run)
    refused(api, moderator, zipped({"other.xml": b"<x/>"}), "file", "no project.qde", dry_run=dry_run)
    xxe = '\n<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    refused(api, moderator, foreign_project(doctype=xxe), "project.qde", "DTD", dry_run=dry_run)
    invalid = foreign_project()
    files = {"project.qde": zipfile.ZipFile(io.BytesIO(invalid)).read("project.qde").replace(b' isCodable="true"', b"")}
    refused(api, moderator, zipped(files), "project.qde", "REFI-QDA schema", dry_run=dry_run)
    refused(api, moderator, foreign_project(selection=(40, 400)), "PlainTextSelection[0]", "outside its source",
            dry_run=dry_run)  # fmt: skip
    refused(api, moderator, foreign_project(code_ref=str(uuid.uuid4())), "Coding[0]", "Unknown code reference",
            dry_run=dry_run)  # fmt: skip


def test_a_zip_bomb_is_refused_by_what_it_inflates_to_and_by_its_member_count(api, moderator, world, monkeypatch):
    monkeypatch.setattr(qdpx_reader, "MAX_UNCOMPRESSED", 1024 * 1024)
    bomb = zipped({"project.qde": b"<Project/>", "sources/big.txt": b"0" * (2 * 1024 * 1024)})
    assert len(bomb) < 50 * 1024
    refused(api, moderator, bomb, "sources/big.txt", "zip bomb")
    monkeypatch.setattr(qdpx_reader, "MAX_MEMBERS", 5)
    many = zipped({f"sources/{n}.txt": b"x" for n in range(6)})
    refused(api, moderator, many, "file", "at most 5")


def test_xml_entities_are_never_expanded_in_a_codebook(api, moderator, db):
    billion = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
               b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')  # fmt: skip
    before = counts()
    r = api.as_user(moderator).post(IMPORT, billion, content_type="application/xml")
    assert r.status_code == 400
    assert "DTD" in " ".join(r.json()["codebook.qdc"])
    assert counts() == before


def test_only_moderators_import_a_qdpx(api, analyst, world):
    before = counts()
    r = upload(api, analyst, foreign_project())
    assert r.status_code == 403
    assert counts() == before


def test_links_between_codes_are_skipped_and_said(api, moderator, db):
    content = zipfile.ZipFile(io.BytesIO(foreign_project())).read("project.qde").decode()
    link = f'<Links><Link guid="{uuid.uuid4()}" name="is a" originGUID="{uuid.uuid4()}" targetGUID="{uuid.uuid4()}"/></Links>'
    content = content.replace("</Notes>", "</Notes>" + link)
    r = upload(api, moderator, zipped({"project.qde": content.encode()}))
    assert r.status_code == 200, r.json()
    assert "only links between two selections" in " ".join(r.json()["skipped"])
    assert Link.objects.count() == 0


def test_an_existing_tag_of_the_same_name_is_not_created_twice_from_our_own_files(api, moderator, world):
    qdpx = b"".join(api.as_user(moderator).get(QDPX).streaming_content)
    r = upload(api, moderator, qdpx, dry_run="true")
    assert r.status_code == 200, r.json()
    assert r.json()["tags"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert r.json()["claims"]["created"] == 0


def test_a_moderator_uploads_a_qdpx_from_a_browser_session_with_the_csrf_token(moderator, db):
    from tests.test_import_access import session_client

    client = session_client(moderator)
    token = client.cookies["csrftoken"].value
    upload_file = io.BytesIO(foreign_project())
    upload_file.name = "project.qdpx"
    r = client.post(IMPORT, {"file": upload_file}, HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200, r.content
    assert r.json()["claims"]["created"] == 1


def test_a_qdpx_sent_as_the_raw_body_imports_too(api, moderator, db):
    r = api.as_user(moderator).post(IMPORT + "?dry_run=true", foreign_project(), content_type="application/zip")
    assert r.status_code == 200, r.json()
    assert r.json()["claims"]["created"] == 1


def test_import_claims_takes_a_qdpx_from_the_shell(moderator, db, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "interviews.qdpx"
    path.write_bytes(foreign_project(extra_source=f'\n    <PictureSource guid="{uuid.uuid4()}" name="p.jpg"/>'))
    out = io.StringIO()
    call_command("import_claims", str(path), "--as", moderator.username, stdout=out)
    assert "claims: 1 created" in out.getvalue()
    assert "Skipped: project.qde:Sources/PictureSource[1]" in out.getvalue()
    assert Claim.objects.count() == 1
