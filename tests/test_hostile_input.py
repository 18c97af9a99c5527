"""Text no export can carry, and files that used to be 500s, are refused at every door with a 400 naming where.

Control characters (U+0000-U+001F but tab, line feed and carriage return) are refused in every text field by
the API, the services, import (native and W3C) and load_corpus. Import files are read with the hardened JSON
reader and checked against what both databases hold: nesting, lone surrogates, NUL, integers past their
column, dates at the edges of the calendar; nothing is written, with or without dry_run.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations import services
from annotations.models import Author, Claim, Link, Paper, Status, Tag, User
from annotations.textrules import CONTROL_CHARACTERS
from tests.exchange_world import build_world
from tests.factories import ClaimFactory, PaperFactory

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/export/claims.json"
IMPORT = "/api/v1/import/"
REFUSED = [chr(code) for code in (0x01, 0x08, 0x0B, 0x0C, 0x0E, 0x1B, 0x1F)]


def test_the_rule_refuses_every_c0_control_but_tab_line_feed_and_carriage_return():
    allowed = {chr(code) for code in range(0x20) if not CONTROL_CHARACTERS.search(chr(code))}
    assert allowed == {"\t", "\n", "\r"}


@pytest.mark.parametrize("character", REFUSED)
@pytest.mark.parametrize("field", ["statement", "speaker", "note"])
def test_a_claim_with_a_control_character_is_refused_naming_the_field(api, analyst, paper, field, character):
    body = {"paper": paper.slug, "target": {"start": 0, "end": 7}, "statement": "The SCO."}
    body[field] = f"a{character}b"
    r = api.as_user(analyst).post("/api/v1/claims/", body, format="json")
    assert r.status_code == 400
    assert "Control characters are not allowed" in r.json()[field][0]
    assert not Claim.objects.exists()


def test_tab_line_feed_and_carriage_return_are_kept(api, analyst, paper):
    body = {"paper": paper.slug, "target": {"start": 0, "end": 7}, "statement": "one\ttwo\nthree\rfour"}
    r = api.as_user(analyst).post("/api/v1/claims/", body, format="json")
    assert r.status_code == 201
    assert r.json()["statement"] == "one\ttwo\nthree\rfour"


def test_a_quote_with_a_control_character_is_refused_naming_the_target(api, analyst, paper):
    body = {"paper": paper.slug, "target": {"exact": "The\x01SCO"}, "statement": "x"}
    r = api.as_user(analyst).post("/api/v1/claims/", body, format="json")
    assert r.status_code == 400
    assert r.json()["target"][0].startswith("exact: Control characters are not allowed")


def test_every_other_text_field_of_the_api_refuses_control_characters(api, analyst, moderator, paper):
    claim = ClaimFactory(paper=paper, created_by=analyst)
    other = ClaimFactory(paper=paper, created_by=analyst, at=(11, 20))
    link = Link.objects.create(source=claim, target=other, relation="supports", created_by=analyst)
    cases = [
        ("patch", f"/api/v1/claims/{claim.pk}/", {"version": 1, "note": "a\x02"}, "note"),
        ("post", "/api/v1/links/", {"source": str(other.pk), "target": str(claim.pk), "relation": "conflicts",
                                    "rationale": "a\x03"}, "rationale"),
        ("patch", f"/api/v1/links/{link.pk}/", {"version": 1, "rationale": "a\x04"}, "rationale"),
        ("post", f"/api/v1/claims/{claim.pk}/moderate/", {"decision": "reject", "reason": "a\x05"}, "reason"),
        ("post", "/api/v1/tags/", {"slug": "t", "name": "a\x06"}, "name"),
        ("post", f"/api/v1/papers/{paper.slug}/revisions/", {"text": "New\x0ctext"}, "text"),
    ]  # fmt: skip
    for method, url, body, field in cases:
        r = getattr(api.as_user(moderator), method)(url, body, format="json")
        assert r.status_code == 400, (url, r.content)
        assert "Control characters" in r.json()[field][0], url
    assert Claim.objects.get(pk=claim.pk).version == 1
    assert Link.objects.count() == 1
    assert not Tag.objects.exists()
    assert not paper.revisions.exists()


def test_services_refuse_them_too_whatever_calls_them(analyst, paper):
    with pytest.raises(services.ValidationError) as refused:
        services.claim_create(created_by=analyst, paper=paper, target={"start": 0, "end": 7}, statement="a\x07")
    assert "statement" in refused.value.message_dict


# --- import ---------------------------------------------------------------------------------------------------


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


@pytest.fixture
def exported(api, moderator, world):
    response = api.as_user(moderator).get(EXPORT)
    return json.loads(b"".join(response.streaming_content))


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Paper, Author, Tag, Claim, Link, User)}


def refused_both_ways(api, moderator, raw: str) -> dict:
    """POST `raw` as is and as a dry run: each a 400 with the same problems, and nothing written."""
    before, answers = counts(), []
    for dry_run in ("false", "true"):
        r = api.as_user(moderator).post(f"{IMPORT}?dry_run={dry_run}", raw, content_type="application/json")
        assert r.status_code == 400, r.content
        answers.append(r.json())
    assert counts() == before
    assert answers[0] == answers[1]
    return answers[0]


def new_claim(exported: dict) -> dict:
    """The file's first claim under a new id (so it would be created)."""
    claim = exported["claims"][0]
    claim["id"] = "00000000-0000-4000-8000-000000000001"
    return claim


def test_import_refuses_json_nested_too_deeply(api, moderator):
    problems = refused_both_ways(api, moderator, "[" * 100_000 + "]" * 100_000)
    assert problems == {"": ["The document is nested too deeply."]}


@pytest.mark.parametrize("escape", ["\\udc00", "\\ud800", "\\u0000"])
def test_import_refuses_lone_surrogates_and_nul_naming_the_path(api, moderator, exported, escape):
    new_claim(exported)["statement"] = "PLACEHOLDER"
    raw = json.dumps(exported).replace("PLACEHOLDER", f"a{escape}b")
    problems = refused_both_ways(api, moderator, raw)
    assert list(problems) == ["claims[0].statement"]
    assert "NUL characters" in problems["claims[0].statement"][0]


@pytest.mark.parametrize("where", ["created_by", "paper"])
def test_import_refuses_nul_in_a_username_or_a_paper(api, moderator, exported, where):
    new_claim(exported)[where] = "PLACEHOLDER"
    raw = json.dumps(exported).replace("PLACEHOLDER", "mo\\u0000")
    assert list(refused_both_ways(api, moderator, raw)) == [f"claims[0].{where}"]


def test_import_refuses_control_characters_naming_the_field(api, moderator, exported):
    claim = new_claim(exported)
    claim["statement"], claim["speaker"] = "a\x01b", "Qi\x1bGuowei"
    exported["papers"][0]["title"] = "Title\x0e"
    problems = refused_both_ways(api, moderator, json.dumps(exported))
    for path in ("claims[0].statement", "claims[0].speaker"):
        assert "Control characters are not allowed" in problems[path][0]


def test_w3c_import_refuses_control_characters(api, moderator, world):
    annotation = {
        "type": "Annotation", "id": "urn:uuid:00000000-0000-4000-8000-000000000002",
        "body": [{"type": "TextualBody", "value": "A\x02statement", "purpose": "describing"}],
        "target": {"source": "masuda-2010", "selector": [{"type": "TextQuoteSelector", "exact": "three evils"}]},
    }  # fmt: skip
    problems = refused_both_ways(api, moderator, json.dumps(annotation))
    assert "Control characters are not allowed" in problems["annotation[0].statement"][0]


@pytest.mark.parametrize("version", [2**31, 2**63, 10**30])
def test_import_refuses_a_version_past_its_column(api, moderator, exported, version):
    new_claim(exported)["version"] = version
    problems = refused_both_ways(api, moderator, json.dumps(exported))
    assert problems["claims[0].version"] == ['"version" must be a whole number from 1 to 2147483647.']


@pytest.mark.parametrize("offset", [2**31, 2**63])
def test_import_refuses_an_orphaned_claims_offset_past_its_column(api, moderator, exported, offset):
    claim = new_claim(exported)
    claim["status"], claim["status_before_orphaned"], claim["anchor_state"] = "orphaned", "pending", "orphaned"
    claim["target"]["start"], claim["target"]["end"] = offset, offset + 1
    problems = refused_both_ways(api, moderator, json.dumps(exported))
    assert "at most 2147483647" in problems["claims[0].target.start"][0]


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59-14:00", "9999-12-31T12:00Z"]
)
def test_import_refuses_dates_at_the_edges_of_the_calendar(api, moderator, exported, moment):
    new_claim(exported)["created_at"] = moment
    problems = refused_both_ways(api, moderator, json.dumps(exported))
    assert list(problems) == ["claims[0].created_at"]


def test_import_refuses_numbers_json_cannot_hold(api, moderator, exported):
    raw = json.dumps(exported).replace('"version": 1,', '"version": ' + "9" * 5000 + ",", 1)
    assert list(refused_both_ways(api, moderator, raw)) == [""]
    assert list(refused_both_ways(api, moderator, raw.replace("9" * 5000, "NaN"))) == [""]


def test_the_import_command_refuses_the_same_files_clearly(moderator, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_claims", str(path), "--dry-run")
    path.write_text('{"format": "sco-claims", "claims": [{"statement": "a\\udc00"}]}')
    with pytest.raises(CommandError, match=r"at claims\[0\]\.statement.*lone surrogates"):
        call_command("import_claims", str(path))


# --- load_corpus ----------------------------------------------------------------------------------------------


def test_load_corpus_refuses_control_characters_in_metadata_and_text(tmp_path):
    paper = tmp_path / "hostile.txt"
    paper.write_text("A text.\n")
    with pytest.raises(CommandError, match=r"'title': Control characters are not allowed \(U\+0001"):
        call_command("load_corpus", str(paper), "--no-shipped", "--title", "A\x01title", stdout=io.StringIO())
    paper.write_text("A text\x0c with a form feed.\n")
    with pytest.raises(CommandError, match=r"hostile.txt: Control characters are not allowed \(U\+000C"):
        call_command("load_corpus", str(paper), "--no-shipped", "--title", "T", stdout=io.StringIO())
    assert not Paper.objects.exists()


def test_a_stored_hostile_speaker_still_exports_as_xml(api, moderator, analyst):
    paper = PaperFactory(slug="p")
    ClaimFactory(paper=paper, created_by=analyst, status=Status.APPROVED, speaker="Qi\x01Guowei\x1b")
    for url in ("/api/v1/export/network/congruence.graphml?by=speaker", "/api/v1/export/graph.graphml"):
        r = api.as_user(moderator).get(url)
        assert r.status_code == 200
        text = r.content.decode() if hasattr(r, "content") else b"".join(r.streaming_content).decode()
        assert "QiGuowei" in text


def test_the_paper_parameter_of_a_w3c_import_refuses_nul(api, moderator, world):
    r = api.as_user(moderator).post(f"{IMPORT}?paper=masuda%00", "[]", content_type="application/json")
    assert r.status_code == 400
    assert "NUL" in r.json()["paper"][0]


def test_the_admin_forms_of_authors_papers_and_tags_refuse_them(client, moderator):
    moderator.is_superuser = True
    moderator.save()
    client.force_login(moderator)
    r = client.post("/admin/annotations/author/add/", {"name": "Pan\x01Guang", "country": "China"})
    assert r.status_code == 200
    assert "Control characters are not allowed" in r.content.decode()
    assert not Author.objects.exists()
