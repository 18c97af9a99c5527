"""Codebook files: export as JSON, CSV and REFI-QDA .qdc, import (merge by slug) with a report, round trips,
and bad files refused with the place named and nothing written."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from annotations.exports import refiqda
from annotations.models import HistoryAction, Tag, TagStatus
from projects.models import ProjectRole, default_project
from tests.factories import MembershipFactory, ProjectFactory, TagFactory

pytestmark = pytest.mark.django_db


def url(project, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/api/v1/projects/{project.slug}/codebook/" + (f"?{query}" if query else "")


@pytest.fixture
def codebook(db):
    security = TagFactory(slug="security", name="Security", description="Hard and soft", colour="#112233")
    TagFactory(slug="terrorism", name="=Terrorism", parent=security, colour="#aa0000")  # a formula-like name
    TagFactory(slug="economy", name="Economy, trade", description='Says "trade"\nand more')
    TagFactory(slug="proposal", status=TagStatus.PROPOSED)
    return default_project()


def export(api, user, project, kind):
    r = api.as_user(user).get(url(project, format=kind))
    assert r.status_code == 200, r.content[:300]
    return r.content


def test_json_export_lists_accepted_tags_parents_first(api, reader, codebook):
    body = json.loads(export(api, reader, codebook, "json"))
    assert body["project"] == codebook.slug
    assert [t["slug"] for t in body["tags"]] == ["economy", "security", "terrorism"]
    assert body["tags"][2] == {"slug": "terrorism", "name": "=Terrorism", "description": "", "colour": "#aa0000",
                               "parent": "security"}  # fmt: skip


def test_csv_export_has_the_columns_and_guards_formulas(api, reader, codebook):
    text = export(api, reader, codebook, "csv").decode()
    lines = text.split("\r\n")
    assert lines[0] == "slug,name,description,colour,parent"
    assert "terrorism,'=Terrorism,,#aa0000,security" in lines


def test_qdc_export_validates_against_the_codebook_schema(api, reader, codebook):
    raw = export(api, reader, codebook, "qdc")
    root = etree.fromstring(raw)
    schema = refiqda.codebook_schema()
    assert schema.validate(root.getroottree()), schema.error_log
    assert etree.QName(root).localname == "CodeBook"
    codes = root.findall(f".//{{{refiqda.CODEBOOK_NAMESPACE}}}Code")
    names = [code.get("name") for code in codes]
    assert {"security", "terrorism", "economy"} <= set(names)
    assert "proposal" not in names
    security = next(code for code in codes if code.get("name") == "security")
    assert [child.get("name") for child in security.findall(f"{{{refiqda.CODEBOOK_NAMESPACE}}}Code")] == ["terrorism"]


def test_the_schema_and_its_mit_notice_are_in_the_repository():
    schema = refiqda.PROJECT_SCHEMA.read_text(encoding="utf-8")
    assert "This specification is licensed under the MIT license." in schema
    assert "Permission is hereby granted, free of charge" in schema
    assert "MIT" in (refiqda.SCHEMA_DIR / "SOURCE.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["json", "csv", "qdc"])
def test_round_trip_into_another_project(api, moderator, codebook, kind):
    raw = export(api, moderator, codebook, kind)
    target = ProjectFactory(slug=f"copy-{kind}")
    MembershipFactory(project=target, user=moderator, role=ProjectRole.MODERATOR)
    r = api.post(url(target), raw, content_type="application/octet-stream")
    assert r.status_code == 200, r.content[:500]
    assert r.json() | {"created": sorted(r.json()["created"])} == {
        "format": kind, "dry_run": False, "created": ["economy", "security", "terrorism"], "updated": [],
        "unchanged": [],
    }  # fmt: skip

    def rows(project):
        return sorted(
            Tag.objects.filter(project=project, status=TagStatus.ACCEPTED).values_list(
                "slug", "name", "description", "colour", "parent__slug"
            )
        )

    assert rows(target) == rows(codebook)
    again = api.post(url(target), raw, content_type="application/octet-stream").json()
    assert (again["created"], again["updated"], sorted(again["unchanged"])) == (
        [], [], ["economy", "security", "terrorism"]
    )  # fmt: skip
    created = Tag.history.filter(project=target, history_action=HistoryAction.CREATED)
    assert created.count() == 3
    assert {row.history_user for row in created} == {moderator}


def test_import_merges_by_slug_and_reports(api, moderator, codebook):
    csv_body = (
        "slug,name,description,colour,parent\r\n"
        "security,Security,Hard and soft,#112233,\r\n"  # unchanged
        "economy,Economy,,#00ff00,security\r\n"  # updated: name, colour, moved
        "energy,Energy,,#FFAA00,economy\r\n"  # new, under a tag the file moves
    )
    r = api.as_user(moderator).post(url(codebook), csv_body, content_type="text/csv")
    assert r.status_code == 200, r.json()
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (["energy"], ["economy"], ["security"])
    energy = Tag.objects.get(slug="energy")
    assert (energy.colour, energy.parent.slug, energy.parent.parent.slug) == ("#ffaa00", "economy", "security")
    assert Tag.objects.filter(slug="terrorism").exists()  # not in the file: kept
    economy = Tag.history.filter(slug="economy").latest()
    assert (economy.history_action, economy.history_user, economy.parent.slug) == (
        HistoryAction.EDITED,
        moderator,
        "security",
    )
    assert Tag.history.filter(slug="security").count() == 1  # unchanged: no row


def test_a_multipart_upload_and_a_dry_run(api, moderator, codebook):
    upload = SimpleUploadedFile("codebook.json", json.dumps({"tags": [{"slug": "new", "name": "New"}]}).encode())
    r = api.as_user(moderator).post(url(codebook, dry_run="true"), {"file": upload}, format="multipart")
    assert r.status_code == 200
    assert r.json()["created"] == ["new"]
    assert r.json()["dry_run"] is True
    assert not Tag.objects.filter(slug="new").exists()


BAD_FILES = [
    ("json", b'{"tags": [{"slug": "ok", "name": "Ok"}, {"slug": "bad slug", "name": "X"}]}', "tags[1].slug"),
    ("json", b'{"tags": [{"slug": "a", "name": "A", "colour": "red"}]}', "tags[0].colour"),
    ("json", b'{"tags": [{"slug": "a", "name": "A"}, {"slug": "a", "name": "Again"}]}', "tags[1]"),
    ("json", b'{"tags": [{"slug": "a", "name": "A", "parent": "nowhere"}]}', "tags[0]"),
    ("json", b'{"tags": [{"slug": "a", "name": "A", "parent": "b"}, {"slug": "b", "name": "B", "parent": "a"}]}',
     "tags[0]"),
    ("json", b'{"tags": [{"slug": "a", "name": "A", "extra": 1}]}', "tags[0].extra"),
    ("json", b"[1]", "tags[0]"),
    ("json", b"{not json", "file"),
    ("csv", b"slug,name\r\nok,Ok\r\nbad,\r\n", "row 3: name"),
    ("csv", b"slug,title\r\na,A\r\n", "row 1"),
    ("csv", b"slug,name\r\na,A,extra\r\n", "row 2"),
    ("csv", b"slug,name,colour\r\na,A,#12345\r\n", "row 2: colour"),
    ("csv", b"slug,name,parent\r\na,A,a\r\n", "row 2: parent"),
    ("qdc", b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Nope/></CodeBook>", "codebook.qdc"),
    ("qdc", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e 'x'>]><CodeBook/>", "codebook.qdc"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "raw", "place"), BAD_FILES)
def test_a_bad_file_is_refused_with_its_place_and_nothing_written(api, moderator, codebook, kind, raw, place):
    before = sorted(Tag.objects.values_list("slug", "name", "colour", "parent_id"))
    history = Tag.history.count()
    r = api.as_user(moderator).post(url(codebook), raw, content_type="application/octet-stream")
    assert r.status_code == 400, r.content
    assert place in r.json(), r.json()
    assert sorted(Tag.objects.values_list("slug", "name", "colour", "parent_id")) == before
    assert Tag.history.count() == history


def test_a_loop_made_with_the_projects_own_tags_is_refused(api, moderator, codebook):
    # security is terrorism's parent in the project; the file puts security under terrorism.
    body = json.dumps({"tags": [{"slug": "security", "name": "Security", "parent": "terrorism"}]})
    r = api.as_user(moderator).post(url(codebook), body, content_type="application/json")
    assert r.status_code == 400
    assert "loop" in r.json()["tags[0]"][0]


def test_only_moderators_import_and_members_export(api, analyst, codebook):
    body = b'{"tags": [{"slug": "new", "name": "New"}]}'
    r = api.as_user(analyst).post(url(codebook), body, content_type="application/json")
    assert r.status_code == 403
    assert not Tag.objects.filter(slug="new").exists()
    closed = ProjectFactory(slug="closed")
    assert api.get(url(closed, format="json")).status_code == 404
    assert api.get(url(codebook, format="xls")).status_code == 400


def test_a_qdc_from_another_tool_is_read(api, moderator):
    project = default_project()
    raw = (
        b"<?xml version='1.0' encoding='utf-8'?>"
        b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0' origin='NVivo'><Codes>"
        b"<Code guid='6a1d0d8e-0000-4000-8000-000000000001' name='Border security' isCodable='true' color='#F00'>"
        b"<Description>Borders</Description>"
        b"<Code guid='6a1d0d8e-0000-4000-8000-000000000002' name='Drugs &amp; crime' isCodable='true'/>"
        b"</Code></Codes></CodeBook>"
    )
    r = api.as_user(moderator).post(url(project), raw, content_type="application/xml")
    assert r.status_code == 200, r.json()
    child = Tag.objects.get(slug="drugs-crime")
    assert (child.name, child.parent.slug, child.parent.colour) == ("Drugs & crime", "border-security", "#ff0000")
