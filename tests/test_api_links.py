"""The links endpoints: creation, the refusals of the contract, updates, moderation."""

import pytest

from annotations.models import Link, Status
from tests.factories import ClaimFactory, LinkFactory, PaperFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_claims(analyst):
    masuda = PaperFactory(slug="masuda-2010")
    pan = PaperFactory(slug="pan-2006")
    return (
        ClaimFactory(paper=masuda, created_by=analyst, status=Status.APPROVED),
        ClaimFactory(paper=pan, created_by=analyst, at=(11, 26)),
    )


def post(api, user, body):
    return api.as_user(user).post("/api/v1/links/", body, format="json")


def test_create_a_link_between_claims_of_two_papers(api, analyst, two_claims):
    source, target = two_claims
    r = post(api, analyst, {"source": str(source.pk), "target": str(target.pk), "relation": "conflicts",
                            "rationale": "<p>Opposite readings.</p><script>x</script>"})  # fmt: skip
    assert r.status_code == 201
    body = r.json()
    assert body["relation"] == "conflicts"
    assert body["status"] == "pending"
    assert body["source"]["paper"] == "masuda-2010"
    assert body["target"]["paper"] == "pan-2006"
    assert body["target"]["exact"] == target.exact
    assert body["rationale"] == "<p>Opposite readings.</p><script>x</script>"  # as typed
    assert body["rationale_html"] == "<p>&lt;p&gt;Opposite readings.&lt;/p&gt;&lt;script&gt;x&lt;/script&gt;</p>"


def test_a_link_from_a_claim_to_itself_is_refused(api, analyst, two_claims):
    source, _ = two_claims
    r = post(api, analyst, {"source": str(source.pk), "target": str(source.pk), "relation": "supports"})
    assert r.status_code == 400
    assert "itself" in r.json()["target"][0]


def test_a_duplicate_link_is_refused(api, analyst, two_claims):
    source, target = two_claims
    body = {"source": str(source.pk), "target": str(target.pk), "relation": "supports"}
    assert post(api, analyst, body).status_code == 201
    r = post(api, analyst, body)
    assert r.status_code == 400
    assert "already linked" in r.json()["non_field_errors"][0]
    assert Link.objects.count() == 1


def test_two_claims_carry_one_live_relation_whatever_its_direction(api, analyst, two_claims):
    source, target = two_claims
    first = post(api, analyst, {"source": str(source.pk), "target": str(target.pk), "relation": "supports"})
    assert first.status_code == 201
    link_id = first.json()["id"]
    for body, direction in [
        ({"source": str(source.pk), "target": str(target.pk), "relation": "restates"}, "from this source to this target"),
        ({"source": str(target.pk), "target": str(source.pk), "relation": "conflicts"}, "from this target to this source"),
    ]:  # fmt: skip
        r = post(api, analyst, body)
        assert r.status_code == 400
        message = r.json()["non_field_errors"][0]
        assert f"already linked: link {link_id} (supports, {direction})" in message
        assert f"PATCH /api/v1/links/{link_id}/" in message
    assert Link.objects.count() == 1


def test_unknown_claim_and_relation_are_refused_naming_them(api, analyst, two_claims):
    source, _ = two_claims
    missing = "00000000-0000-0000-0000-000000000000"
    r = post(api, analyst, {"source": str(source.pk), "target": missing, "relation": "supports"})
    assert r.status_code == 400
    assert missing in r.json()["target"][0]
    r = post(api, analyst, {"source": str(source.pk), "target": missing, "relation": "refutes"})
    assert 'Unknown relation "refutes"' in r.json()["relation"][0]


def test_a_claim_the_analyst_cannot_see_cannot_be_linked(api, analyst, other_analyst, two_claims):
    source, _ = two_claims
    hidden = ClaimFactory(created_by=other_analyst)
    r = post(api, analyst, {"source": str(source.pk), "target": str(hidden.pk), "relation": "supports"})
    assert r.status_code == 400


def test_reader_cannot_link(api, reader, two_claims):
    source, target = two_claims
    assert (
        post(api, reader, {"source": str(source.pk), "target": str(target.pk), "relation": "supports"}).status_code
        == 403
    )


def test_stale_link_version_is_a_409(api, analyst, two_claims):
    source, target = two_claims
    link = LinkFactory(source=source, target=target, created_by=analyst)
    url = f"/api/v1/links/{link.pk}/"
    assert api.as_user(analyst).patch(url, {"version": 1, "relation": "restates"}, format="json").status_code == 200
    r = api.as_user(analyst).patch(url, {"version": 1, "rationale": "late"}, format="json")
    assert r.status_code == 409
    assert r.json()["current_version"] == 2


def test_an_edit_keeps_the_links_ends_and_needs_its_version(api, analyst, two_claims):
    """LinkIn reads a PATCH with partial=True: source and target are not taken (as any unknown field)."""
    source, target = two_claims
    link = LinkFactory(source=source, target=target, created_by=analyst)
    url = f"/api/v1/links/{link.pk}/"
    r = api.as_user(analyst).patch(url, {"rationale": "r", "relation": "nope"}, format="json")
    assert r.status_code == 400
    assert set(r.json()) == {"version", "relation"}
    swapped = {"version": 1, "source": str(target.pk), "target": str(source.pk), "relation": "restates"}
    r = api.patch(url, swapped, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["source"]["id"], r.json()["target"]["id"]) == (str(source.pk), str(target.pk))
    assert r.json()["relation"] == "restates"


def test_the_one_live_link_changes_its_relation_freely(api, analyst, two_claims):
    source, target = two_claims
    rejected = LinkFactory(source=source, target=target, relation="conflicts", status=Status.REJECTED)
    link = LinkFactory(source=source, target=target, relation="supports", created_by=analyst)
    r = api.as_user(analyst).patch(f"/api/v1/links/{link.pk}/", {"version": 1, "relation": "conflicts"}, format="json")
    assert r.status_code == 200
    assert r.json()["relation"] == "conflicts"
    assert Link.objects.get(pk=rejected.pk).status == Status.REJECTED


def test_link_moderation(api, analyst, moderator, two_claims):
    source, target = two_claims
    link = LinkFactory(source=source, target=target, created_by=analyst)
    url = f"/api/v1/links/{link.pk}/moderate/"
    assert api.as_user(analyst).post(url, {"decision": "approve"}, format="json").status_code == 403
    r = api.as_user(moderator).post(url, {"decision": "approve", "reason": "Fair."}, format="json")
    assert r.status_code == 200
    assert r.json()["status"] == "approved"


def test_deleted_link_frees_its_relation(api, analyst, two_claims):
    source, target = two_claims
    link = LinkFactory(source=source, target=target, relation="supports", created_by=analyst)
    assert api.as_user(analyst).delete(f"/api/v1/links/{link.pk}/").status_code == 204
    body = {"source": str(source.pk), "target": str(target.pk), "relation": "supports"}
    assert post(api, analyst, body).status_code == 201


def test_reader_sees_only_approved_links_between_approved_claims(api, reader, analyst, two_claims):
    source, target = two_claims
    target.status = Status.APPROVED
    target.save()
    approved = LinkFactory(source=source, target=target, status=Status.APPROVED, created_by=analyst)
    third = ClaimFactory(created_by=analyst, status=Status.APPROVED)
    LinkFactory(source=target, target=third, status=Status.PENDING, created_by=analyst)
    hidden_end = ClaimFactory(created_by=analyst)
    LinkFactory(source=source, target=hidden_end, status=Status.APPROVED, created_by=analyst)
    results = api.as_user(reader).get("/api/v1/links/").json()["results"]
    assert [link["id"] for link in results] == [str(approved.pk)]


def test_links_filter_by_claim(api, moderator, two_claims):
    source, target = two_claims
    link = LinkFactory(source=source, target=target)
    LinkFactory()
    results = api.as_user(moderator).get(f"/api/v1/links/?claim={target.pk}").json()["results"]
    assert [item["id"] for item in results] == [str(link.pk)]


def test_links_filter_by_source_and_by_target(api, moderator, two_claims):
    source, target = two_claims
    third = ClaimFactory(paper=target.paper)
    forward = LinkFactory(source=source, target=target)
    backward = LinkFactory(source=third, target=source, relation=Link.Relation.CONFLICTS)
    LinkFactory()
    client = api.as_user(moderator)
    assert [item["id"] for item in client.get(f"/api/v1/links/?source={source.pk}").json()["results"]] == [
        str(forward.pk)
    ]
    assert [item["id"] for item in client.get(f"/api/v1/links/?target={source.pk}").json()["results"]] == [
        str(backward.pk)
    ]
    both = client.get(f"/api/v1/links/?source={third.pk}&target={source.pk}").json()["results"]
    assert [item["id"] for item in both] == [str(backward.pk)]
