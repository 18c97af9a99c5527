"""Papers uploaded as files through `POST /api/v1/papers/` and the extract step: each format from files built
here, with known text and pages; each refusal by name, with nothing written after it."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Author, Paper, PaperAuthor, Role
from projects.models import Project, ProjectRole
from tests.factories import AuthorFactory, MembershipFactory, PaperFactory, ProjectFactory, UserFactory
from tests.html_check import parse
from tests.upload_files import docx_bomb, docx_bytes, pdf_bytes

PAGES = [["The first page speaks of the SCO."], ["The second page names the three evils."], ["A third page."]]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def project(db):
    return ProjectFactory(slug="corpus-a")


@pytest.fixture
def owner(project):
    user = UserFactory(username="olga", role=Role.READER)
    MembershipFactory(project=project, user=user, role=ProjectRole.OWNER)
    return user


def upload(api, user, name, data, **fields):
    body = {"file": SimpleUploadedFile(name, data), "project": "corpus-a", "title": "A paper", **fields}
    if isinstance(body.get("authors"), list):
        body["authors"] = json.dumps(body["authors"])
    return api.as_user(user).post("/api/v1/papers/", body, format="multipart")


def nothing_written(project):
    assert not Paper.objects.filter(project=project).exists()
    assert not Author.objects.filter(project=project).exists()
    assert Paper.history.filter(project=project).count() == 0


def test_pdf_upload_keeps_text_pages_metadata_and_the_original(api, owner, project, media):
    data = pdf_bytes(PAGES)
    authors = [{"name": "Ann Author", "affiliation": "Uni", "country": "KZ"}, {"name": "Bo Writer"}]
    r = upload(api, owner, "sco.pdf", data, authors=authors, year="2011", venue="Journal", doi="10.1000/ABC",
               language="en")  # fmt: skip
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["slug"] == "a-paper"
    assert body["text"] == (
        "The first page speaks of the SCO.\n\nThe second page names the three evils.\n\nA third page."
    )
    assert body["pages"] == [[0, 35], [35, 75], [75, 88]]
    assert [a["name"] for a in body["authors"]] == ["Ann Author", "Bo Writer"]
    assert body["doi"] == "10.1000/abc"
    assert body["language"] == "en"
    paper = Paper.objects.get(slug="a-paper")
    assert paper.project == project
    assert paper.history.get().history_action == "created"
    with paper.source_file.open("rb") as stored:
        assert stored.read() == data
    assert body["source_file"].endswith("/api/v1/papers/a-paper/source/")
    download = api.get("/api/v1/papers/a-paper/source/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data  # read to the end: the test client closes it
    assert api.get("/api/v1/papers/a-paper/").json()["pages"] == body["pages"]


def test_claims_carry_their_pages_in_the_api(api, owner, project):
    upload(api, owner, "sco.pdf", pdf_bytes(PAGES))
    paper = Paper.objects.get()
    MembershipFactory(project=project, user=UserFactory(username="ana", role=Role.ANALYST), role="analyst")
    analyst = paper.project.members.get(username="ana")
    start = paper.text.index("three evils")
    r = api.as_user(analyst).post(
        "/api/v1/claims/",
        {"paper": paper.slug, "target": {"exact": "three evils"}, "statement": "Evils."},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["pages"] == [2, 2]
    r = api.post(
        "/api/v1/claims/",
        {"paper": paper.slug, "target": {"start": 10, "end": start + 5}, "statement": "Across."},
        format="json",
    )
    assert r.json()["pages"] == [1, 2]


def test_claims_of_a_paper_without_pages_have_none(api, analyst, paper):
    r = api.as_user(analyst).post(
        "/api/v1/claims/",
        {"paper": paper.slug, "target": {"exact": "not an alliance"}, "statement": "No."},
        format="json",
    )
    assert r.json()["pages"] is None


def test_docx_html_md_and_txt_uploads(api, owner):
    cases = [
        ("a.docx", docx_bytes(["Word paragraph one.", "Word paragraph two."]), "Word paragraph one.\n\nWord paragraph two."),
        ("b.html", b"<html><head><title>t</title><script>x()</script></head><body><nav>Menu</nav>"
                   b"<main><h1>Heading</h1><p>Main <b>text</b>\n here.</p></main><footer>f</footer></body></html>",
         "Heading\n\nMain text here."),
        ("c.md", "\ufeff# Title\r\n\r\nSome *markdown*.\r\n".encode(), "# Title\n\nSome *markdown*.\n"),
        ("d.txt", "Plain text, caf\u00e9.\n".encode(), "Plain text, caf\u00e9.\n"),
    ]  # fmt: skip
    for i, (name, data, text) in enumerate(cases):
        r = upload(api, owner, name, data, title=f"Paper {i}")
        assert r.status_code == 201, (name, r.json())
        assert r.json()["text"] == text
        assert r.json()["pages"] == []


def test_extract_step_stores_nothing_and_names_an_existing_copy(api, owner, project):
    data = pdf_bytes(PAGES)
    r = api.as_user(owner).post(
        "/api/v1/papers/extract/",
        {"file": SimpleUploadedFile("x.pdf", data), "project": "corpus-a"},
        format="multipart",
    )
    assert r.status_code == 200
    assert r.json()["kind"] == "pdf"
    assert r.json()["pages"] == [[0, 35], [35, 75], [75, 88]]
    assert r.json()["existing"] is None
    nothing_written(project)
    upload(api, owner, "x.pdf", data)
    r = api.post(
        "/api/v1/papers/extract/",
        {"file": SimpleUploadedFile("x.pdf", data), "project": "corpus-a"},
        format="multipart",
    )
    assert r.json()["existing"] == "a-paper"


def test_reviewed_text_is_stored_and_pages_follow_the_corrections(api, owner):
    text = "The first page speaks of the SCO.\n\nThe second page names the 3 evils.\n\nA third page."
    r = upload(api, owner, "sco.pdf", pdf_bytes(PAGES), text=text)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["text"] == text
    assert body["pages"] == [[0, 35], [35, 71], [71, 84]]
    assert text[71:] == "A third page."


def test_authors_of_the_project_are_reused_by_name(api, owner, project):
    known = AuthorFactory(project=project, name="Ann Author", affiliation="Known place")
    r = upload(api, owner, "a.txt", b"Some text.", authors=[{"name": "Ann Author", "affiliation": "Other"}])
    assert r.json()["authors"][0]["id"] == known.pk
    assert Author.objects.filter(project=project).count() == 1


def test_slug_is_made_unique_across_projects(api, owner):
    PaperFactory(slug="a-paper")
    r = upload(api, owner, "a.txt", b"Some text.")
    assert r.json()["slug"] == "a-paper-2"
    r = upload(api, owner, "b.txt", b"Other text.", slug="a-paper")
    assert r.status_code == 400
    assert "taken" in r.json()["slug"][0]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("report.pdf", docx_bytes(["x"]), "is named 'report.pdf' but its content is a Word (.docx) document"),
        ("report.docx", pdf_bytes([["x"]]), "its content is a PDF, not a Word (.docx) document"),
        ("page.html", b"just words, no markup", "its content is plain text, not an HTML page"),
        ("notes.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "its content is binary data (not text)"),
        ("image.png", b"\x89PNG\r\n", "cannot be uploaded: give a .pdf, .docx, .html, .md or .txt"),
        ("notes.txt", b"caf\xe9", "not UTF-8"),
    ],
)
def test_file_that_is_not_what_its_name_says_is_refused(api, owner, project, name, data, message):
    r = upload(api, owner, name, data)
    assert r.status_code == 400
    assert message in r.json()["file"][0]
    nothing_written(project)


def test_encrypted_pdf_is_refused(api, owner, project):
    r = upload(api, owner, "locked.pdf", pdf_bytes(PAGES, encrypt="secret"))
    assert r.status_code == 400
    assert "encrypted" in r.json()["file"][0]
    nothing_written(project)


def test_scanned_pdf_without_text_is_refused(api, owner, project):
    r = upload(api, owner, "scan.pdf", pdf_bytes(PAGES, text=False))
    assert r.status_code == 400
    assert "no text to extract" in r.json()["file"][0]
    nothing_written(project)


def test_too_large_file_is_refused(api, owner, project, settings):
    settings.UPLOAD_MAX_SIZE = 1000
    r = upload(api, owner, "big.txt", b"word " * 300)
    assert r.status_code == 400
    assert "at most 1000 bytes can be uploaded" in r.json()["file"][0]
    nothing_written(project)


def test_pdf_with_too_many_pages_is_refused(api, owner, project, settings):
    settings.UPLOAD_MAX_PAGES = 5
    r = upload(api, owner, "long.pdf", pdf_bytes([["page"]] * 6))
    assert r.status_code == 400
    assert "The PDF has 6 pages; at most 5" in r.json()["file"][0]
    nothing_written(project)


def test_docx_zip_bomb_is_refused_unread(api, owner, project):
    r = upload(api, owner, "bomb.docx", docx_bomb())
    assert r.status_code == 400
    assert "refused unread" in r.json()["file"][0]
    nothing_written(project)


def test_same_text_twice_in_a_project_is_refused_with_the_existing_paper(api, owner, project, media):
    data = pdf_bytes(PAGES)
    assert upload(api, owner, "one.pdf", data).status_code == 201
    files_before = sorted(p for p in media.rglob("*") if p.is_file())
    r = upload(api, owner, "two.pdf", data, title="Again", authors=[{"name": "New Person"}])
    assert r.status_code == 409
    assert r.json()["existing"] == "a-paper"
    assert r.json()["url"] == "/papers/a-paper/"
    assert "already in the project as paper 'a-paper'" in r.json()["file"][0]
    assert Paper.objects.filter(project=project).count() == 1
    assert not Author.objects.filter(name="New Person").exists()
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files_before


def test_same_text_in_another_project_is_accepted(api, owner):
    other = ProjectFactory(slug="corpus-b")
    MembershipFactory(project=other, user=owner, role=ProjectRole.MODERATOR)
    data = b"One text."
    assert upload(api, owner, "a.txt", data).status_code == 201
    assert upload(api, owner, "a.txt", data, project="corpus-b").status_code == 201


def test_only_owners_and_moderators_of_the_project_upload(api, project):
    analyst = UserFactory(username="ana", role=Role.READER)
    MembershipFactory(project=project, user=analyst, role=ProjectRole.ANALYST)
    assert upload(api, analyst, "a.txt", b"Text.").status_code == 403
    stranger = UserFactory(username="sam", role=Role.MODERATOR)
    assert upload(api, stranger, "a.txt", b"Text.").status_code == 404
    nothing_written(project)


def test_archived_project_takes_no_upload(api, owner, project):
    Project.objects.filter(pk=project.pk).update(archived=True)
    r = upload(api, owner, "a.txt", b"Text.")
    assert r.status_code == 403
    assert "archived" in r.json()["detail"]
    nothing_written(project)


def test_source_download_needs_membership_of_the_project(api, owner):
    upload(api, owner, "a.txt", b"Text.")
    stranger = UserFactory(username="sam", role=Role.MODERATOR)
    assert api.as_user(stranger).get("/api/v1/papers/a-paper/source/").status_code == 404
    download = api.as_user(owner).get("/api/v1/papers/a-paper/source/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Text."


def test_file_is_removed_when_the_database_refuses_the_paper(api, owner, project, media, monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("database refused")

    monkeypatch.setattr(PaperAuthor.objects, "bulk_create", refuse)
    api.raise_request_exception = False
    r = upload(api, owner, "a.txt", b"Text.", authors=[{"name": "X"}])
    assert r.status_code == 500
    nothing_written(project)
    assert not [p for p in media.rglob("*") if p.is_file()]
    assert default_storage.listdir("")[1] == []


def test_upload_page_is_for_owners_and_moderators_of_the_project(client, owner, project):
    client.force_login(owner)
    r = client.get("/projects/corpus-a/papers/new/")
    assert r.status_code == 200
    html = r.content.decode()
    page = parse(html)
    # Strict CSP: no inline script or style, no style attribute.
    assert all(e.attrs.get("src") for e in page.elements if e.tag == "script")
    assert not [e for e in page.elements if e.tag == "style" or "style" in e.attrs]
    assert 'data-extract-url="/api/v1/papers/extract/"' in html
    assert 'data-project="corpus-a"' in html
    analyst = UserFactory(username="ana", role=Role.READER)
    MembershipFactory(project=project, user=analyst, role=ProjectRole.ANALYST)
    client.force_login(analyst)
    assert client.get("/projects/corpus-a/papers/new/").status_code == 403
    client.force_login(UserFactory(username="sam", role=Role.MODERATOR))
    assert client.get("/projects/corpus-a/papers/new/").status_code == 404
