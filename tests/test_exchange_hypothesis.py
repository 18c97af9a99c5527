"""Hypothesis: its API's search response, its rows and the client's JSON export, imported completely (comments,
tags, annotators, dates, quotes), rows that cannot be placed reported with their reason, none or all imported."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Claim, Paper, Tag
from tests.factories import PaperFactory, UserFactory
from tests.test_exchange_native import counts

IMPORT = "/api/v1/import/"
TEXT = (
    "The SCO is not an alliance. Its members meet every year.\n\n"
    "Critics say the SCO is an alliance against the West; its members deny it."
)
DOI = "10.1000/sco.2010"


@pytest.fixture
def corpus(db):
    paper = PaperFactory(slug="masuda-2010", text=TEXT, doi=DOI)
    PaperFactory(slug="pan-2006", text="Pan writes that the SCO is not an alliance.")
    Tag.objects.create(slug="not-an-alliance", name="Not an alliance")
    Tag.objects.create(slug="west", name="Against the West")
    UserFactory(username="ana")  # a Hypothesis account of this name becomes the analyst
    return paper


def row(row_id, exact, *, uri=f"https://doi.org/{DOI}", prefix="", text="", tags=(), user="acct:ana@hypothes.is",
        position=None, **extra):  # fmt: skip
    selectors = [{"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": ""}]
    if position:
        selectors.insert(0, {"type": "TextPositionSelector", "start": position[0], "end": position[1]})
    return {
        "id": row_id, "created": "2024-03-01T10:00:00.000000+00:00", "updated": "2024-03-02T11:00:00.000000+00:00",
        "user": user, "uri": uri, "text": text, "tags": list(tags), "group": "__world__",
        "target": [{"source": uri, "selector": selectors}], "document": {"title": ["Masuda"]},
        "links": {"html": f"https://hypothes.is/a/{row_id}"}, "user_info": {"display_name": None}, **extra,
    }  # fmt: skip


def search_response(rows):
    return {"total": len(rows), "rows": rows}


def post(api, user, document, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return api.as_user(user).post(f"{IMPORT}?{query}", json.dumps(document), content_type="application/json")


def complete_rows():
    return [
        row(
            "aaa111",
            "the SCO is an alliance",
            prefix="Critics say ",
            text="Quoting critics **only**.",
            tags=["NOT-AN-ALLIANCE", "against the west"],
            position=(0, 5),
        ),
        row("bbb222", "Its members meet every year.", user="acct:stranger@hypothes.is", tags=[]),
        row("ccc333", "not an alliance", uri="https://example.org/pan.pdf", text="On Pan."),
    ]


def test_a_search_response_with_comments_and_tags_is_imported_completely(api, moderator, corpus):
    dry = post(api, moderator, search_response(complete_rows()), paper="pan-2006", dry_run="true")
    assert dry.status_code == 200, dry.json()
    assert dry.json()["claims"]["created"] == 3
    assert Claim.objects.count() == 0

    r = post(api, moderator, search_response(complete_rows()), paper="pan-2006")

    assert r.status_code == 200, r.json()
    first = Claim.objects.get(exact="the SCO is an alliance")
    assert first.paper == corpus
    assert first.start == TEXT.index("the SCO is an alliance")  # placed by its quote; the position was a hint
    assert first.note.startswith("Quoting critics **only**.")
    assert "acct:ana@hypothes.is" in first.note
    assert first.created_by.username == "ana"
    assert first.created_at.isoformat().startswith("2024-03-01T10:00:00")
    assert first.updated_at.isoformat().startswith("2024-03-02T11:00:00")
    assert sorted(c.tag.slug for c in first.codings.all()) == ["not-an-alliance", "west"]
    assert first.status == Claim.Status.PENDING
    assert first.speaker == ""  # the annotator is not who holds the view
    stranger = Claim.objects.get(exact="Its members meet every year.")
    assert stranger.created_by == moderator  # no user of that name here: the importing moderator
    assert "acct:stranger@hypothes.is" in stranger.note
    pan = Claim.objects.get(exact="not an alliance")
    assert pan.paper.slug == "pan-2006"  # its uri names no paper here: ?paper= places it
    again = post(api, moderator, search_response(complete_rows()), paper="pan-2006")
    assert again.json()["claims"] == {"created": 0, "updated": 0, "unchanged": 3}


def test_the_rows_alone_and_the_clients_json_export_import_too(api, moderator, corpus):
    rows = complete_rows()[:2]
    assert post(api, moderator, rows, dry_run="true").json()["claims"]["created"] == 2
    export = {"export_date": "2024-04-01T00:00:00Z", "export_userid": "acct:ana@hypothes.is",
              "client_version": "1.1", "annotations": rows}  # fmt: skip
    r = post(api, moderator, export)
    assert r.status_code == 200, r.json()
    assert Claim.objects.count() == 2


def unplaceable_rows():
    return [
        complete_rows()[0],
        row("ddd444", "words that are not in the text"),
        row("eee555", "alliance"),  # twice in the text, no context to choose
        {**row("fff666", "x"), "target": [{"source": f"https://doi.org/{DOI}"}]},  # a page note
        {**row("ggg777", "x"), "references": ["aaa111"]},  # a reply
        row("hhh888", "Its members meet every year.", tags=["no-such-tag"]),
        row("iii999", "Its members meet every year.", uri="https://example.org/elsewhere"),
    ]


def test_each_row_that_cannot_be_placed_is_reported_with_its_reason_and_none_is_imported(api, moderator, corpus):
    before = counts()

    r = post(api, moderator, search_response(unplaceable_rows()), unknown_tags="refuse")

    assert r.status_code == 400
    problems = r.json()
    said = {path: " ".join(messages) for path, messages in problems.items()}
    assert "not in the paper's text" in said["rows[1].target"]
    assert "2 times" in said["rows[2].target"]
    assert "page note" in said["rows[3].target"]
    assert "reply" in said["rows[4]"]
    assert 'Unknown tag "no-such-tag"' in said["rows[5].tags[0]"]
    assert "Unknown paper" in said["rows[6].paper"]
    assert not any(path.startswith("rows[0]") for path in problems)
    assert counts() == before


def test_or_all_that_can_be_placed_when_the_user_chooses_to_skip_the_rest(api, moderator, corpus):
    r = post(api, moderator, search_response(unplaceable_rows()), unplaced="skip", unknown_tags="refuse")
    assert r.status_code == 200, r.json()
    assert r.json()["claims"]["created"] == 1
    assert len(r.json()["skipped"]) == 6
    assert any(line.startswith("rows[5].tags[0]: Unknown tag") for line in r.json()["skipped"])
    assert list(Claim.objects.values_list("exact", flat=True)) == ["the SCO is an alliance"]


def test_a_paper_is_found_by_its_doi_in_any_spelling_its_url_or_its_urn(api, moderator, corpus):
    Paper.objects.filter(slug="pan-2006").update(url="https://example.org/pan")
    rows = [
        row("r1", "Its members meet every year.", uri=f"doi:{DOI.upper()}"),
        row("r2", "Pan writes", uri="https://example.org/pan"),
        row("r3", "the SCO is an alliance", uri="urn:sco-claims:paper:masuda-2010"),
    ]
    r = post(api, moderator, rows)
    assert r.status_code == 200, r.json()
    assert dict(Claim.objects.values_list("exact", "paper__slug")) == {
        "Its members meet every year.": "masuda-2010",
        "Pan writes": "pan-2006",
        "the SCO is an alliance": "masuda-2010",
    }


def test_a_tag_the_codebook_lacks_becomes_a_proposed_tag_reported_by_the_dry_run_first(api, moderator, corpus):
    rows = [
        row("p1", "Its members meet every year.", tags=["Annual summits", "west"]),
        row("p2", "the SCO is an alliance", prefix="Critics say ", tags=["annual-summits"]),
    ]
    before = counts()

    dry = post(api, moderator, search_response(rows), dry_run="true")

    assert dry.status_code == 200, dry.json()
    assert dry.json()["proposed_tags"] == ["annual-summits"]
    assert dry.json()["tags"]["created"] == 1
    assert counts() == before  # the dry run wrote nothing

    r = post(api, moderator, search_response(rows))

    assert r.status_code == 200, r.json()
    proposal = Tag.objects.get(slug="annual-summits")
    assert (proposal.status, proposal.name, proposal.proposed_by) == ("proposed", "Annual summits", moderator)
    coded = {c.exact: sorted(t.slug for t in c.tags.all()) for c in Claim.objects.all()}
    assert coded == {"Its members meet every year.": ["annual-summits", "west"],
                     "the SCO is an alliance": ["annual-summits"]}  # fmt: skip
    again = post(api, moderator, search_response(rows))
    assert again.json()["claims"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert "proposed_tags" not in again.json()
    # Tags with nothing in ASCII get slugs of their own, not one shared slug.
    chinese = [row("p3", "its members deny it", tags=["安全"]), row("p4", "Its members meet", tags=["合作"])]
    assert post(api, moderator, search_response(chinese)).status_code == 200
    assert set(Tag.objects.filter(name__in=["安全", "合作"]).values_list("slug", flat=True)) == {
        "tag-" + hashlib.sha1(name.encode()).hexdigest()[:10] for name in ("安全", "合作")
    }
    refused = post(api, moderator, search_response(rows), unknown_tags="sometimes")
    assert refused.status_code == 400
    assert "unknown_tags" in refused.json()


def test_import_claims_proposes_or_refuses_unknown_tags_as_asked(corpus, moderator, tmp_path):
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(search_response([row("q1", "Its members meet every year.", tags=["Summits"])])))
    with pytest.raises(CommandError, match='Unknown tag "Summits"'):
        call_command("import_claims", str(path), "--unknown-tags", "refuse", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_claims", str(path), "--as", moderator.username, "--dry-run", stdout=out)
    assert "Proposed tags (for a moderator to accept, merge or reject): summits" in out.getvalue()
    assert not Tag.objects.filter(slug="summits").exists()
    call_command("import_claims", str(path), "--as", moderator.username, stdout=io.StringIO())
    assert Tag.objects.get(slug="summits").status == "proposed"
