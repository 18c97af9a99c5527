"""The native export and the import: lossless round trip, all-or-nothing refusals, idempotence."""

import io
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from annotations.models import Author, Claim, Coding, Link, Paper, PaperAuthor, Role, Status, Tag, User
from projects.models import Membership, default_project
from tests.exchange_world import build_world

EXPORT = "/api/v1/export/claims.json"
IMPORT = "/api/v1/import/"


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def without_exported_at(text: str) -> str:
    return re.sub(r'"exported_at": "[^"]+"', '"exported_at": ""', text, count=1)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Paper, Author, PaperAuthor, Tag, Claim, Link, User)}


def empty_the_instance() -> None:
    Link.objects.all().delete()
    Claim.objects.all().delete()
    PaperAuthor.objects.all().delete()
    Paper.objects.all().delete()
    Author.objects.all().delete()
    Tag.objects.filter(parent__isnull=False).delete()
    Tag.objects.all().delete()
    User.objects.all().delete()


def export_with_command(*args) -> str:
    out = io.StringIO()
    call_command("export_claims", "--format", "native", *args, stdout=out)
    return out.getvalue()


def post(api, user, document, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return api.as_user(user).post(f"{IMPORT}?{query}", json.dumps(document), content_type="application/json")


def test_native_export_holds_everything_a_moderator_sees(api, moderator, world):
    r = api.as_user(moderator).get(EXPORT)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/json")
    assert 'filename="sco-claims.json"' in r["Content-Disposition"]
    doc = json.loads(body(r))
    assert (doc["format"], doc["version"]) == ("sco-claims", 1)
    assert [p["slug"] for p in doc["papers"]] == ["masuda-2010", "pan-2006", "yu-fu-2009"]
    assert doc["papers"][1]["authors"] == ["Pan Guang", "Li Wei"]
    assert doc["papers"][0]["text"] == Paper.objects.get(slug="masuda-2010").text
    assert [a["name"] for a in doc["authors"]] == sorted(a["name"] for a in doc["authors"])
    assert {t["slug"]: t["parent"] for t in doc["tags"]}["not-an-alliance"] == "alliance"
    # the deleted claim and link are not there without ?deleted=include
    assert {c["id"] for c in doc["claims"]} == {str(world.claims[n].pk) for n in ("c1", "c2", "c3", "c4")}
    assert {link["id"] for link in doc["links"]} == {str(world.links[n].pk) for n in ("l1", "l2", "l3")}
    c1 = next(c for c in doc["claims"] if c["id"] == str(world.claims["c1"].pk))
    assert c1["created_by"] == "ana"
    assert c1["moderated_by"] == "mo"
    assert c1["version"] == 2
    assert c1["speaker"] == "Qi Guowei"
    assert c1["tags"] == ["not-an-alliance"]
    text = Paper.objects.get(slug="masuda-2010").text
    assert text[c1["target"]["start"] : c1["target"]["end"]] == c1["target"]["exact"]


def test_round_trip_native_import_native_is_byte_identical_but_for_exported_at(api, moderator, world):
    first = body(api.as_user(moderator).get(EXPORT + "?deleted=include"))
    empty_the_instance()
    assert counts()["Claim"] == 0
    out = io.StringIO()
    call_command("import_claims", "-", stdin=io.StringIO(first), stdout=out)
    assert "claims: 5 created" in out.getvalue()
    second = export_with_command("--include-deleted")
    assert second != first  # exported_at differs...
    assert without_exported_at(second) == without_exported_at(first)  # ...and nothing else
    # c2 denies three-evils but affirms alliance: the per-tag stance went out and came back.
    c2 = next(c for c in json.loads(first)["claims"] if c["id"] == str(world.claims["c2"].pk))
    assert (c2["stance"], c2["tags"]) == ("denies", ["alliance", "three-evils"])
    assert c2["codings"] == [{"tag": "alliance", "stance": "affirms"}, {"tag": "three-evils", "stance": "denies"}]
    stored = Coding.objects.filter(claim_id=c2["id"]).values_list("tag__slug", "stance")
    assert dict(stored) == {"alliance": "affirms", "three-evils": "denies"}


def test_a_file_without_codings_gives_each_tag_the_claims_stance(api, moderator, exported, world):
    c2 = next(c for c in exported["claims"] if c["id"] == str(world.claims["c2"].pk))
    claim = {key: value for key, value in c2.items() if key != "codings"} | {
        "id": "00000000-0000-4000-8000-000000000007"
    }
    exported["claims"].append(claim)
    r = post(api, moderator, exported)
    assert r.status_code == 200, r.json()
    stored = Coding.objects.filter(claim_id=claim["id"]).values_list("tag__slug", "stance")
    assert dict(stored) == {"alliance": "denies", "three-evils": "denies"}


def test_a_stored_claim_whose_codings_differ_is_a_conflict_unless_newer(api, moderator, exported, world):
    c2 = next(c for c in exported["claims"] if c["id"] == str(world.claims["c2"].pk))
    c2["codings"] = [{"tag": "alliance", "stance": "qualifies"}, {"tag": "three-evils", "stance": "denies"}]
    problems = refused(api, moderator, exported)
    path = f"claims[{exported['claims'].index(c2)}]"
    assert "codings differ" in problems[path][0]
    c2["version"] += 1
    assert post(api, moderator, exported).status_code == 200
    stored = Coding.objects.filter(claim_id=c2["id"]).values_list("tag__slug", "stance")
    assert dict(stored) == {"alliance": "qualifies", "three-evils": "denies"}


def test_import_refuses_bad_codings_naming_where(api, moderator, exported):
    claim = dict(exported["claims"][0], id="00000000-0000-4000-8000-000000000008")
    claim["tags"] = ["alliance"]
    claim["codings"] = [
        {"tag": "alliance", "stance": "doubts"},
        {"tag": "no-such-tag", "stance": "denies"},
        {"tag": "alliance", "stance": "denies"},
        "three-evils",
    ]
    exported["claims"].append(claim)
    r = post(api, moderator, exported)
    assert r.status_code == 400
    problems = r.json()
    path = f"claims[{len(exported['claims']) - 1}]"
    assert 'Unknown stance "doubts"' in problems[f"{path}.codings[0].stance"][0]
    assert 'Unknown tag "no-such-tag"' in problems[f"{path}.codings[1].tag"][0]
    assert "coded twice" in problems[f"{path}.codings[2].tag"][0]
    assert "must be an object" in problems[f"{path}.codings[3]"][0]
    assert "different tags" in problems[f"{path}.tags"][0]


def test_round_trip_keeps_timestamps_versions_moderation_and_deletion(api, moderator, world):
    first = json.loads(body(api.as_user(moderator).get(EXPORT + "?deleted=include")))
    empty_the_instance()
    call_command("import_claims", "-", stdin=io.StringIO(json.dumps(first)), stdout=io.StringIO())
    c4 = Claim.objects.get(pk=world.claims["c4"].pk)
    assert (c4.status, c4.version, c4.moderation_reason) == ("rejected", 2, "Too vague.")
    assert c4.created_at == world.claims["c4"].created_at
    assert c4.updated_at == world.claims["c4"].updated_at
    assert c4.moderated_at == world.claims["c4"].moderated_at
    assert c4.moderated_by.username == "mo"
    assert Claim.objects.get(pk=world.claims["c5"].pk).deleted_at == world.claims["c5"].deleted_at
    assert Link.objects.get(pk=world.links["l4"].pk).deleted_at is not None
    paper = Paper.objects.get(slug="masuda-2010")
    assert paper.created_at.isoformat().replace("+00:00", "Z") == first["papers"][0]["created_at"]


def test_unknown_usernames_become_inactive_accounts_without_password(api, moderator, world):
    document = json.loads(body(api.as_user(moderator).get(EXPORT)))
    empty_the_instance()
    boss = User.objects.create(username="boss")
    boss.groups.set([Group.objects.get(name=Role.MODERATOR)])
    Membership.objects.create(project=default_project(), user=boss, role=Role.MODERATOR)
    r = post(api, boss, document)
    assert r.status_code == 200, r.json()
    assert r.json()["users"] == {"created": 2, "updated": 0, "unchanged": 0}
    for name in ("ana", "mo"):
        user = User.objects.get(username=name)
        assert not user.is_active
        assert not user.has_usable_password()
        assert not user.groups.exists()
    assert Claim.objects.get(pk=world.claims["c1"].pk).created_by.username == "ana"


def test_importing_the_same_file_twice_creates_nothing_new(api, moderator, world):
    document = json.loads(body(api.as_user(moderator).get(EXPORT)))
    empty_the_instance()
    mo = User.objects.create(username="boss")
    mo.groups.set([Group.objects.get(name=Role.MODERATOR)])
    Membership.objects.create(project=default_project(), user=mo, role=Role.MODERATOR)
    first = post(api, mo, document)
    assert first.status_code == 200, first.json()
    assert first.json()["claims"] == {"created": 4, "updated": 0, "unchanged": 0}
    before = counts()
    again = post(api, mo, document)
    assert again.status_code == 200
    assert counts() == before
    for kind in ("papers", "authors", "tags", "claims", "links"):
        assert (again.json()[kind]["created"], again.json()[kind]["updated"]) == (0, 0), kind
    assert again.json()["claims"]["unchanged"] == 4
    assert again.json()["links"]["unchanged"] == 3


def test_dry_run_reports_and_writes_nothing(api, moderator, world):
    document = json.loads(body(api.as_user(moderator).get(EXPORT)))
    Link.objects.all().delete()
    before = counts()
    r = post(api, moderator, document, dry_run="true")
    assert r.status_code == 200
    assert r.json()["dry_run"] is True
    assert r.json()["links"]["created"] == 3
    assert counts() == before


@pytest.fixture
def exported(api, moderator, world):
    return json.loads(body(api.as_user(moderator).get(EXPORT)))


def refused(api, moderator, document) -> dict:
    before = counts()
    r = post(api, moderator, document)
    assert r.status_code == 400
    assert counts() == before  # nothing written
    return r.json()


def test_import_refuses_a_bad_version(api, moderator, exported):
    exported["version"] = 2
    problems = refused(api, moderator, exported)
    assert "Unsupported version 2" in problems["version"][0]


def test_import_refuses_an_unknown_paper(api, moderator, exported):
    exported["claims"][0]["paper"] = "no-such-paper"
    exported["claims"][0]["id"] = "00000000-0000-4000-8000-000000000001"
    problems = refused(api, moderator, exported)
    assert problems["claims[0].paper"] == [
        'Unknown paper "no-such-paper": it is neither in the file nor in this instance.'
    ]


def test_import_refuses_a_quote_no_longer_in_the_text(api, moderator, exported):
    claim = next(c for c in exported["claims"] if c["paper"] == "pan-2006")
    claim["id"] = "00000000-0000-4000-8000-000000000002"
    claim["target"]["start"] += 1
    claim["target"]["end"] += 1
    index = exported["claims"].index(claim)
    problems = refused(api, moderator, exported)
    assert "no longer in the text" in problems[f"claims[{index}].target"][0]


def test_import_refuses_duplicate_ids_and_reports_every_problem_at_once(api, moderator, exported):
    exported["claims"][1]["id"] = exported["claims"][0]["id"]
    exported["links"][0]["source"] = "00000000-0000-4000-8000-00000000dead"
    exported["claims"][2]["stance"] = "maybe"
    problems = refused(api, moderator, exported)
    assert "Duplicate id" in problems["claims[1].id"][0]
    assert "claims[0]" in problems["claims[1].id"][0]
    assert "Unknown claim" in problems["links[0].source"][0]
    assert "Unknown stance" in problems["claims[2].stance"][0]


def test_import_refuses_a_paper_whose_text_differs_and_a_tampered_text(api, moderator, exported):
    exported["papers"][0]["text"] += " More."
    problems = refused(api, moderator, exported)
    assert "does not match its text_sha256" in problems["papers[0].text_sha256"][0]
    assert "differs from the stored text" in problems["papers[0].text"][0]


def test_import_into_an_empty_instance_refuses_everything_or_writes_everything(api, moderator, exported):
    empty_the_instance()
    exported["claims"][-1]["target"]["exact"] = "not the text"
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_claims", "-", stdin=io.StringIO(json.dumps(exported)), stdout=io.StringIO())
    assert sum(counts().values()) == 0


def test_same_id_with_different_content_is_a_conflict_unless_newer(api, moderator, exported, world):
    index = next(i for i, c in enumerate(exported["claims"]) if c["id"] == str(world.claims["c2"].pk))
    exported["claims"][index]["statement"] = "Changed elsewhere."
    problems = refused(api, moderator, exported)
    assert "Conflicts with the stored claim (version 1" in problems[f"claims[{index}]"][0]
    assert "statement" in problems[f"claims[{index}]"][0]
    exported["claims"][index]["version"] = 2
    r = post(api, moderator, exported)
    assert r.status_code == 200
    assert r.json()["claims"]["updated"] == 1
    stored = Claim.objects.get(pk=world.claims["c2"].pk)
    assert (stored.statement, stored.version) == ("Changed elsewhere.", 2)


def test_only_moderators_import(api, analyst, reader, exported):
    assert post(api, analyst, exported).status_code == 403
    assert post(api, reader, exported).status_code == 403
    api.credentials()
    assert api.post(IMPORT, json.dumps(exported), content_type="application/json").status_code == 401


def test_a_file_over_the_limit_is_refused_with_413(api, moderator, exported, settings):
    settings.IMPORT_MAX_SIZE = 1000
    r = post(api, moderator, exported)
    assert r.status_code == 413
    assert "too large" in r.json()["detail"]


def test_a_body_that_is_not_json_is_refused(api, moderator):
    r = api.as_user(moderator).post(IMPORT, "{not json", content_type="application/json")
    assert r.status_code == 400
    assert "not JSON" in r.json()[""][0]


def test_readers_export_only_approved_claims_and_links_between_them(api, reader, world):
    doc = json.loads(body(api.as_user(reader).get(EXPORT)))
    assert {c["status"] for c in doc["claims"]} == {Status.APPROVED}
    # l3 is approved but joins c2, which is pending: hidden with its end
    assert {link["id"] for link in doc["links"]} == {str(world.links["l1"].pk)}


def test_filters_are_those_of_claims(api, moderator, world):
    doc = json.loads(body(api.as_user(moderator).get(EXPORT + "?paper=masuda-2010&status=approved")))
    assert [c["id"] for c in doc["claims"]] == [str(world.claims["c1"].pk)]
    assert [p["slug"] for p in doc["papers"]] == ["masuda-2010"]
    assert doc["links"] == []  # the other ends are outside the exported set
    assert doc["filters"] == {"paper": "masuda-2010", "status": "approved"}
    listed = api.get("/api/v1/claims/?paper=masuda-2010&status=approved").json()["results"]
    assert [c["id"] for c in listed] == [c["id"] for c in doc["claims"]]


def test_an_unknown_filter_value_is_a_400(api, moderator, world):
    r = api.as_user(moderator).get(EXPORT + "?paper=nope")
    assert r.status_code == 400
    assert r.json() == {"paper": ['Unknown paper "nope".']}
    assert api.get(EXPORT + "?stance=maybe").status_code == 400


def test_only_moderators_export_deleted_items(api, analyst, world):
    r = api.as_user(analyst).get(EXPORT + "?deleted=include")
    assert r.status_code == 400
    assert "Only moderators" in r.json()["deleted"][0]


def test_the_export_reads_in_a_fixed_number_of_queries(api, moderator, world):
    from tests.factories import ClaimFactory

    api.as_user(moderator)

    def export_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            body(api.get(EXPORT))
        return len(captured)

    few = export_queries()
    paper = Paper.objects.get(slug="pan-2006")
    for start in range(10, 30):
        ClaimFactory(paper=paper, at=(start, start + 5), tags=[world.tags["alliance"]])
    assert export_queries() == few


def test_an_orphaned_claim_keeps_its_old_anchor(api, moderator, exported):
    claim = dict(exported["claims"][0], id="00000000-0000-4000-8000-000000000003", status="orphaned")
    claim["target"] = dict(claim["target"], exact="words a revision removed")
    exported["claims"].append(claim)
    r = post(api, moderator, exported)
    assert r.status_code == 200, r.json()
    assert Claim.objects.get(pk=claim["id"]).exact == "words a revision removed"


def test_analysts_export_approved_claims_and_their_own(api, analyst, other_analyst, world):
    own = json.loads(body(api.as_user(analyst).get(EXPORT)))
    assert {c["id"] for c in own["claims"]} == {str(world.claims[n].pk) for n in ("c1", "c2", "c3", "c4")}
    other = json.loads(body(api.as_user(other_analyst).get(EXPORT)))
    assert {c["id"] for c in other["claims"]} == {str(world.claims[n].pk) for n in ("c1", "c3")}
    # l2 and l3 join ana's pending claim: hidden from otto with their end
    assert {link["id"] for link in other["links"]} == {str(world.links["l1"].pk)}


def test_malformed_items_are_reported_not_crashed_on(api, moderator, exported):
    exported["claims"][0]["version"] = "2"
    exported["claims"][1] = "not a claim"
    exported["links"][0]["created_at"] = "yesterday"
    problems = refused(api, moderator, exported)
    assert problems["claims[0].version"] == ['"version" must be a whole number from 1 to 2147483647.']
    assert problems["claims[1]"] == ["A claim must be an object."]
    assert "ISO 8601" in problems["links[0].created_at"][0]
    assert post(api, moderator, 42).json() == {
        "": ["Give a sco-claims export or W3C Web Annotations (a collection, a page or a list)."]
    }


def test_imports_are_not_held_to_the_general_request_size_limit(api, moderator, exported, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = post(api, moderator, exported)
    assert r.status_code == 200, r.content
    assert r.json()["claims"]["unchanged"] == 4


REVISED_MASUDA = (
    "Beijing 🌏 has emphasized that unlike the CSTO, the SCO is not really an alliance with military characteristics, "
    "and has stressed its fight against terrorism.\n\nThose are terrorism, separatism and extremism; "
    "the SCO is not an alliance."
)


def test_round_trip_keeps_fuzzy_and_orphaned_anchors(api, moderator, world):
    from annotations import services

    services.paper_revise(paper=Paper.objects.get(slug="masuda-2010"), by=moderator, text=REVISED_MASUDA)
    fuzzy, orphan = (Claim.objects.get(pk=world.claims[n].pk) for n in ("c1", "c2"))
    assert (fuzzy.anchor_state, orphan.anchor_state) == ("fuzzy", "orphaned")  # what the test is about
    assert (orphan.status_before_orphaned, orphan.status) == ("pending", "orphaned")
    first = body(api.as_user(moderator).get(EXPORT + "?deleted=include"))
    records = {c["id"]: c for c in json.loads(first)["claims"]}
    assert records[str(fuzzy.pk)]["anchor_state"] == "fuzzy"
    assert records[str(fuzzy.pk)]["anchor_score"] == fuzzy.anchor_score
    assert 0.75 <= fuzzy.anchor_score < 1
    assert records[str(orphan.pk)]["status_before_orphaned"] == "pending"
    assert records[str(world.claims["c3"].pk)]["anchor_state"] == "original"
    assert "anchor_revision" not in records[str(fuzzy.pk)]  # revisions are not part of the format

    empty_the_instance()
    call_command("import_claims", "-", stdin=io.StringIO(first), stdout=io.StringIO())
    fuzzy_again, orphan_again = (Claim.objects.get(pk=world.claims[n].pk) for n in ("c1", "c2"))
    assert (fuzzy_again.anchor_state, fuzzy_again.anchor_score) == ("fuzzy", fuzzy.anchor_score)
    assert (orphan_again.anchor_state, orphan_again.status, orphan_again.status_before_orphaned) == (
        "orphaned",
        "orphaned",
        "pending",
    )
    assert (orphan_again.start, orphan_again.end, orphan_again.exact) == (orphan.start, orphan.end, orphan.exact)
    assert without_exported_at(export_with_command("--include-deleted")) == without_exported_at(first)


def test_a_file_without_anchor_fields_imports_as_original_anchors(api, moderator, exported):
    for claim in exported["claims"]:
        for key in ("anchor_state", "anchor_score", "status_before_orphaned"):
            claim.pop(key)
    claim = dict(exported["claims"][0], id="00000000-0000-4000-8000-000000000005")
    exported["claims"].append(claim)
    r = post(api, moderator, exported)
    assert r.status_code == 200, r.json()
    stored = Claim.objects.get(pk=claim["id"])
    assert (stored.anchor_state, stored.anchor_score, stored.status_before_orphaned) == ("original", None, "")


def test_import_refuses_bad_anchor_fields(api, moderator, exported):
    claim = dict(exported["claims"][0], id="00000000-0000-4000-8000-000000000006")
    claim.update(anchor_state="lost", anchor_score=1.5, status_before_orphaned="gone")
    exported["claims"].append(claim)
    r = post(api, moderator, exported)
    assert r.status_code == 400
    problems = r.json()
    path = f"claims[{len(exported['claims']) - 1}]"
    assert 'Unknown anchor state "lost"' in problems[f"{path}.anchor_state"][0]
    assert "from 0 to 1" in problems[f"{path}.anchor_score"][0]
    assert 'Unknown status "gone"' in problems[f"{path}.status_before_orphaned"][0]
    assert not Claim.objects.filter(pk=claim["id"]).exists()
