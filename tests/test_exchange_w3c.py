"""W3C Web Annotation export (valid JSON-LD, the model's MUST rules, paging) and import by quote."""

import json
import re
import uuid

import pytest
from pyld import jsonld

from annotations.exports import w3c
from annotations.models import Claim, Coding, Link, Paper, User
from tests.exchange_world import build_world

EXPORT = "/api/v1/export/w3c.jsonld"
IMPORT = "/api/v1/import/"
OA = "http://www.w3.org/ns/oa#"
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$")
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


def fetch(api, user, url=EXPORT):
    r = api.as_user(user).get(url)
    assert r.status_code == 200, r.content
    return json.loads(b"".join(r.streaming_content))


def expand(document):
    return jsonld.expand(document, {"documentLoader": w3c.context_document_loader})


def as_list(value):
    return value if isinstance(value, list) else [value]


def check_annotation_must_rules(annotation: dict) -> None:
    """The Web Annotation Data Model's MUST rules for what we write."""
    assert IRI.match(annotation["id"]), annotation["id"]
    assert "Annotation" in as_list(annotation["type"])
    assert annotation["target"], "an Annotation MUST have 1 or more targets"
    for key in ("created", "modified"):
        assert DATETIME.match(annotation[key]), annotation[key]
    assert set(as_list(annotation["motivation"])) <= w3c.MOTIVATIONS
    for body in as_list(annotation.get("body", [])):
        if isinstance(body, str):
            assert IRI.match(body)
            continue
        assert body["type"] == "TextualBody"
        assert isinstance(body["value"], str), "a TextualBody MUST have exactly 1 value"
        assert set(as_list(body.get("purpose", []))) <= w3c.MOTIVATIONS
    for target in as_list(annotation["target"]):
        if isinstance(target, str):
            assert IRI.match(target)
            continue
        assert IRI.match(target["source"])
        for selector in as_list(target["selector"]):
            if selector["type"] == "TextQuoteSelector":
                assert isinstance(selector["exact"], str)
                assert selector["exact"]
            elif selector["type"] == "TextPositionSelector":
                assert isinstance(selector["start"], int)
                assert isinstance(selector["end"], int)
                assert 0 <= selector["start"] <= selector["end"]


def test_the_collection_is_valid_json_ld_against_the_w3c_context(api, moderator, world):
    document = fetch(api, moderator)
    assert document["@context"][0] == "http://www.w3.org/ns/anno.jsonld"
    expanded = expand(document)
    assert len(expanded) == 1
    collection = expanded[0]
    assert collection["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]
    page = collection["http://www.w3.org/ns/activitystreams#first"][0]
    items = page["http://www.w3.org/ns/activitystreams#items"][0]["@list"]
    assert len(items) == 4 + 3
    claim = next(i for i in items if i["@id"] == f"urn:uuid:{world.claims['c1'].pk}")
    assert claim["@type"] == [f"{OA}Annotation"]
    target = claim[f"{OA}hasTarget"][0]
    selector_types = {s["@type"][0] for s in target[f"{OA}hasSelector"]}
    assert selector_types == {f"{OA}TextQuoteSelector", f"{OA}TextPositionSelector"}
    purposes = {b[f"{OA}hasPurpose"][0]["@id"] for b in claim[f"{OA}hasBody"]}
    assert purposes == {f"{OA}describing", f"{OA}tagging", f"{OA}assessing", f"{OA}commenting"}
    link = next(i for i in items if i["@id"] == f"urn:uuid:{world.links['l1'].pk}")
    assert link[f"{OA}motivatedBy"] == [{"@id": f"{OA}linking"}]


def test_every_annotation_keeps_the_models_must_rules(api, moderator, world):
    document = fetch(api, moderator)
    assert document["type"] == "AnnotationCollection"
    assert IRI.match(document["id"])
    assert document["total"] == 7
    page = document["first"]
    assert page["type"] == "AnnotationPage"
    assert page["startIndex"] == 0
    for annotation in page["items"]:
        check_annotation_must_rules(annotation)


def test_a_claim_annotation_carries_quote_positions_statement_tags_and_stance(api, moderator, world):
    items = fetch(api, moderator)["first"]["items"]
    c1 = world.claims["c1"]
    annotation = next(a for a in items if a["id"] == f"urn:uuid:{c1.pk}")
    quote, position = annotation["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": c1.exact, "prefix": c1.prefix, "suffix": c1.suffix}
    assert position == {"type": "TextPositionSelector", "start": c1.start, "end": c1.end}
    # The paper's stable identifier; the server's own page only as `via`.
    assert annotation["target"]["source"] == "urn:sco-claims:paper:masuda-2010"
    assert annotation["target"]["via"] == "http://testserver/papers/masuda-2010/"
    bodies = {b["purpose"]: b["value"] for b in annotation["body"]}
    assert bodies["describing"] == "The SCO is not a military alliance."
    assert bodies["tagging"] == "not-an-alliance"
    assert bodies["assessing"] == "affirms"
    assert annotation["creator"] == {"type": "Person", "nickname": "ana"}
    c2 = next(a for a in items if a["id"] == f"urn:uuid:{world.claims['c2'].pk}")
    assert [(b["value"], b["stance"]) for b in c2["body"] if b["purpose"] == "tagging"] == [
        ("alliance", "affirms"),
        ("three-evils", "denies"),
    ]
    assert next(b["value"] for b in c2["body"] if b["purpose"] == "assessing") == "denies"
    link = next(a for a in items if a["id"] == f"urn:uuid:{world.links['l2'].pk}")
    assert link["target"] == f"urn:uuid:{world.claims['c2'].pk}"
    assert link["body"][0] == f"urn:uuid:{world.claims['c3'].pk}"
    assert link["body"][1] == {"type": "TextualBody", "purpose": "classifying", "value": "conflicts"}


def test_a_large_collection_is_paged_as_the_protocol_describes(api, moderator, world, monkeypatch):
    monkeypatch.setattr(w3c, "PAGE_SIZE", 2)
    collection = fetch(api, moderator, EXPORT + "?status=approved")
    total = Claim.objects.filter(status="approved", deleted_at=None).count() + 1  # only l1 joins approved claims
    assert collection["total"] == total
    assert collection["first"].endswith("?status=approved&page=0")
    assert collection["last"].endswith(f"page={(total - 1) // 2}")
    assert "items" not in collection
    seen, url = [], collection["first"]
    while url:
        page = fetch(api, moderator, url.removeprefix("http://testserver"))
        assert page["type"] == "AnnotationPage"
        assert page["partOf"] == {"id": collection["id"], "total": total}
        assert page["startIndex"] == len(seen)
        assert len(expand(page)) == 1
        seen.extend(item["id"] for item in page["items"])
        url = page.get("next")
    assert len(seen) == len(set(seen)) == total
    assert api.get(EXPORT + "?page=99").status_code == 400


def hypothesis_annotation(**changes) -> dict:
    annotation = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/AbC123",
        "type": "Annotation",
        "created": "2024-01-02T03:04:05.678901+00:00",
        "modified": "2024-01-03T03:04:05.678901+00:00",
        "creator": "acct:hana@hypothes.is",
        "body": [
            {"type": "TextualBody", "value": "The SCO is again said not to be an alliance.", "format": "text/markdown"},
            {"type": "TextualBody", "purpose": "tagging", "value": "not-an-alliance"},
        ],
        "target": [
            {
                "source": "https://example.org/papers/masuda-2010/",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": "not an alliance", "prefix": "extremism; the SCO is "}
                ],
            }
        ],
    }
    return annotation | changes


def test_hypothesis_style_annotations_are_placed_again_by_their_quote(api, moderator, world):
    r = api.as_user(moderator).post(IMPORT, json.dumps([hypothesis_annotation()]), content_type="application/json")
    assert r.status_code == 200, r.json()
    assert r.json()["claims"]["created"] == 1
    claim = Claim.objects.get(pk=uuid.uuid5(uuid.NAMESPACE_URL, "https://hypothes.is/a/AbC123"))
    text = Paper.objects.get(slug="masuda-2010").text
    assert claim.start == text.rindex("not an alliance")  # the prefix chose the second of two places
    assert text[claim.start : claim.end] == claim.exact == "not an alliance"
    assert claim.statement == "The SCO is again said not to be an alliance."
    assert [t.slug for t in claim.tags.all()] == ["not-an-alliance"]
    assert claim.status == "pending"
    assert claim.created_by.username == "hana"
    assert not claim.created_by.is_active
    again = api.post(IMPORT, json.dumps([hypothesis_annotation()]), content_type="application/json")
    assert again.json()["claims"] == {"created": 0, "updated": 0, "unchanged": 1}


def test_a_w3c_quote_that_is_not_in_the_text_is_refused(api, moderator, world):
    annotation = hypothesis_annotation()
    annotation["target"][0]["selector"][0]["exact"] = "a military bloc"
    before = Claim.objects.count()
    r = api.as_user(moderator).post(IMPORT, json.dumps([annotation]), content_type="application/json")
    assert r.status_code == 400
    assert "not in the paper's text" in r.json()["items[0].target"][0]
    assert Claim.objects.count() == before


def test_our_own_w3c_export_imports_back_with_the_same_ids_and_places(api, moderator, world):
    document = fetch(api, moderator)
    kept = {c.pk: (c.start, c.end, c.statement, c.stance, c.status) for c in Claim.objects.filter(deleted_at=None)}
    codings = set(Coding.objects.filter(claim__deleted_at=None).values_list("claim_id", "tag__slug", "stance"))
    assert (world.claims["c2"].pk, "alliance", "affirms") in codings
    Link.objects.all().delete()
    Claim.objects.all().delete()
    r = api.post(IMPORT, json.dumps(document), content_type="application/json")
    assert r.status_code == 200, r.json()
    assert r.json()["claims"]["created"] == 4
    assert r.json()["links"]["created"] == 3
    assert {c.pk: (c.start, c.end, c.statement, c.stance, c.status) for c in Claim.objects.all()} == kept
    assert set(Coding.objects.values_list("claim_id", "tag__slug", "stance")) == codings
    assert Link.objects.get(pk=world.links["l2"].pk).relation == "conflicts"
    assert User.objects.get(username="ana").is_active


def test_a_collection_that_only_points_to_its_pages_is_refused_with_advice(api, moderator, world, monkeypatch):
    monkeypatch.setattr(w3c, "PAGE_SIZE", 2)
    collection = fetch(api, moderator)
    r = api.post(IMPORT, json.dumps(collection), content_type="application/json")
    assert r.status_code == 400
    assert "AnnotationPage" in r.json()["first"][0]


def test_an_annotation_page_imports_with_the_paper_given_when_the_source_is_elsewhere(api, moderator, world):
    annotation = hypothesis_annotation(id="https://example.org/anno/7")
    annotation["target"][0]["source"] = "https://example.org/some/copy.pdf"
    page = {"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage", "items": [annotation]}
    api.as_user(moderator)
    unplaced = api.post(IMPORT, json.dumps(page), content_type="application/json")
    assert unplaced.status_code == 400
    assert "Unknown paper" in unplaced.json()["items[0].paper"][0]
    r = api.post(IMPORT + "?paper=masuda-2010", json.dumps(page), content_type="application/json")
    assert r.status_code == 200, r.json()
    claim = Claim.objects.get(pk=uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/anno/7"))
    assert claim.paper.slug == "masuda-2010"
