"""A stance for each tag: the API's two shapes of tags, the rules of edits, history, the matrix and networks."""

import csv
import io

import pytest

from annotations.models import Claim, Coding, Status
from tests.factories import AuthorFactory, ClaimFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"


@pytest.fixture
def codebook(db):
    return {slug: TagFactory(slug=slug) for slug in ("anti-us", "enlargement", "not-an-alliance")}


def new_claim(**overrides):
    body = {
        "paper": "masuda-2010",
        "target": {"exact": "not an alliance"},
        "statement": "The SCO is not aimed at the US, and it will grow.",
        "stance": "denies",
    }
    return body | overrides


def codings_of(claim_id) -> dict[str, str]:
    return dict(Coding.objects.filter(claim_id=claim_id).values_list("tag__slug", "stance"))


def test_tags_as_slugs_take_the_claims_stance(api, analyst, paper, codebook):
    r = api.as_user(analyst).post(CLAIMS, new_claim(tags=["enlargement", "anti-us"]), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["tags"] == ["anti-us", "enlargement"]
    assert body["codings"] == [{"tag": "anti-us", "stance": "denies"}, {"tag": "enlargement", "stance": "denies"}]
    assert codings_of(body["id"]) == {"anti-us": "denies", "enlargement": "denies"}


def test_tags_as_objects_and_slugs_mixed_carry_their_own_stances(api, analyst, paper, codebook):
    tags = ["anti-us", {"tag": "enlargement", "stance": "affirms"}, {"tag": "not-an-alliance"}]
    r = api.as_user(analyst).post(CLAIMS, new_claim(tags=tags), format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["stance"] == "denies"
    assert body["codings"] == [
        {"tag": "anti-us", "stance": "denies"},
        {"tag": "enlargement", "stance": "affirms"},
        {"tag": "not-an-alliance", "stance": "denies"},
    ]
    fetched = api.get(f"{CLAIMS}{body['id']}/").json()
    assert fetched["codings"] == body["codings"]


def test_codings_is_another_name_for_tags(api, analyst, paper, codebook):
    codings = [{"tag": "enlargement", "stance": "qualifies"}]
    r = api.as_user(analyst).post(CLAIMS, new_claim(codings=codings), format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["codings"] == codings
    both = api.post(CLAIMS, new_claim(tags=["anti-us"], codings=codings), format="json")
    assert both.status_code == 400
    assert "not both" in both.json()["codings"][0]


@pytest.mark.parametrize(
    ("tags", "words"),
    [
        (["no-such-tag"], 'Unknown tag "no-such-tag".'),
        ([{"tag": "anti-us", "stance": "doubts"}], 'Unknown stance "doubts" for tag "anti-us"'),
        (["anti-us", {"tag": "anti-us", "stance": "affirms"}], 'Tag "anti-us" is given twice.'),
        ([{"tag": "anti-us", "weight": 2}], "unknown fields weight"),
        ([{"stance": "denies"}], "Item 0: give a tag slug"),
        ([7], "Item 0: give a tag slug"),
        ("anti-us", "Give the tags as a list"),
        ([{"tag": "not a slug!"}], 'Unknown tag "not a slug!".'),
    ],
)
def test_bad_tags_are_refused_naming_the_field_and_nothing_is_written(api, analyst, paper, codebook, tags, words):
    r = api.as_user(analyst).post(CLAIMS, new_claim(tags=tags), format="json")
    assert r.status_code == 400
    assert any(words in message for message in r.json()["tags"]), r.json()
    assert Claim.objects.count() == 0


def test_every_bad_tag_is_reported_at_once(api, analyst, paper, codebook):
    tags = ["nope", {"tag": "anti-us", "stance": "doubts"}, "enlargement", "enlargement"]
    r = api.as_user(analyst).post(CLAIMS, new_claim(tags=tags), format="json")
    assert r.status_code == 400
    assert len(r.json()["tags"]) == 3


def test_a_form_body_still_gives_tags_as_repeated_slugs(api, analyst, paper, codebook):
    body = {"paper": "masuda-2010", "target.exact": "x", "statement": "s", "tags": ["anti-us", "enlargement"]}
    r = api.as_user(analyst).post(CLAIMS, body, format="multipart")
    # A form cannot carry the target object; the tags were read nonetheless (no error on them).
    assert r.status_code == 400
    assert "tags" not in r.json()


def patch(api, user, claim_id, **changes):
    version = Claim.objects.get(pk=claim_id).version
    return api.as_user(user).patch(f"{CLAIMS}{claim_id}/", {"version": version, **changes}, format="json")


@pytest.fixture
def mixed(api, analyst, paper, codebook):
    """A claim that denies anti-us and affirms enlargement."""
    tags = ["anti-us", {"tag": "enlargement", "stance": "affirms"}]
    r = api.as_user(analyst).post(CLAIMS, new_claim(tags=tags), format="json")
    assert r.status_code == 201, r.json()
    return r.json()["id"]


def test_flipping_one_tags_stance_in_a_patch(api, analyst, mixed):
    r = patch(api, analyst, mixed, tags=[{"tag": "anti-us", "stance": "qualifies"}, "enlargement"])
    assert r.status_code == 200, r.json()
    assert r.json()["codings"] == [
        {"tag": "anti-us", "stance": "qualifies"},
        {"tag": "enlargement", "stance": "affirms"},  # a bare slug keeps the stance the tag has
    ]
    assert r.json()["version"] == 2


def test_a_new_bare_slug_takes_the_claims_stance_and_a_missing_tag_is_removed(api, analyst, mixed):
    r = patch(api, analyst, mixed, tags=["enlargement", "not-an-alliance"])
    assert r.status_code == 200, r.json()
    assert codings_of(mixed) == {"enlargement": "affirms", "not-an-alliance": "denies"}


def test_changing_the_claims_stance_carries_the_tags_that_followed_it(api, analyst, mixed):
    """anti-us held the claim's stance (denies) and follows it; enlargement was set apart and keeps affirms."""
    r = patch(api, analyst, mixed, stance="qualifies")
    assert r.status_code == 200, r.json()
    assert r.json()["stance"] == "qualifies"
    assert codings_of(mixed) == {"anti-us": "qualifies", "enlargement": "affirms"}


def test_changing_the_stance_with_tags_gives_new_bare_slugs_the_new_stance(api, analyst, mixed):
    r = patch(api, analyst, mixed, stance="affirms", tags=["anti-us", "not-an-alliance"])
    assert r.status_code == 200, r.json()
    assert codings_of(mixed) == {"anti-us": "affirms", "not-an-alliance": "affirms"}


def test_a_refused_patch_changes_no_coding(api, analyst, mixed):
    r = patch(api, analyst, mixed, stance="affirms", tags=[{"tag": "anti-us", "stance": "never"}])
    assert r.status_code == 400
    assert codings_of(mixed) == {"anti-us": "denies", "enlargement": "affirms"}
    assert Claim.objects.get(pk=mixed).version == 1


def test_the_history_records_a_change_of_one_tags_stance(api, analyst, mixed):
    patch(api, analyst, mixed, tags=[{"tag": "anti-us", "stance": "qualifies"}, "enlargement"])
    entries = api.get(f"{CLAIMS}{mixed}/history/").json()["results"]
    edited, created = entries
    assert created["changes"]["tags"] == {"from": None, "to": ["anti-us", "enlargement"]}
    assert created["changes"]["codings"] == {"from": None, "to": ["anti-us:denies", "enlargement:affirms"]}
    assert edited["changes"] == {
        "codings": {
            "from": ["anti-us:denies", "enlargement:affirms"],
            "to": ["anti-us:qualifies", "enlargement:affirms"],
        }
    }


def test_the_history_page_shows_the_codings(client, analyst, mixed):
    from tests.factories import PASSWORD

    client.login(username=analyst.username, password=PASSWORD)
    page = client.get(f"/claims/{mixed}/history/").content.decode()
    assert "anti-us:denies, enlargement:affirms" in page


# ---- the stance matrix, the disagreements and the networks read the stance on each tag


@pytest.fixture
def masuda_and_lin(db, codebook):
    """Masuda denies anti-us but affirms enlargement in one claim; Lin affirms anti-us and enlargement."""
    masuda = PaperFactory(slug="masuda-2010", authors=[AuthorFactory(name="Masuda")])
    lin = PaperFactory(slug="lin-2009", authors=[AuthorFactory(name="Lin")])
    anti_us, enlargement = codebook["anti-us"], codebook["enlargement"]
    one = ClaimFactory(paper=masuda, stance="denies", status=Status.APPROVED, tags=[anti_us, (enlargement, "affirms")])
    two = ClaimFactory(paper=lin, stance="affirms", status=Status.APPROVED, tags=[anti_us, enlargement])
    return one, two


def test_compare_puts_a_denial_only_on_the_tag_denied(api, reader, masuda_and_lin):
    masuda_claim, lin_claim = masuda_and_lin
    body = api.as_user(reader).get("/api/v1/compare/").json()
    keys = [c["key"] for c in body["columns"]]
    rows = {row["tag"]: row for row in body["rows"]}
    anti_us = rows["anti-us"]["cells"][keys.index("Masuda")]
    enlargement = rows["enlargement"]["cells"][keys.index("Masuda")]
    assert (anti_us["denies"], anti_us["affirms"], anti_us["balance"]) == (1, 0, -1)
    assert (enlargement["denies"], enlargement["affirms"], enlargement["balance"]) == (0, 1, 1)
    assert rows["anti-us"]["contested"]
    assert not rows["enlargement"]["contested"]
    # One pair, disagreeing on anti-us only (they agree on enlargement).
    pairs = [
        (set(d["claims"]), reason["tags"])
        for d in body["disagreements"]
        for reason in d["reasons"]
        if reason["kind"] == "stance"
    ]
    assert pairs == [({str(lin_claim.pk), str(masuda_claim.pk)}, ["anti-us"])]


def test_with_a_tag_the_stance_filter_reads_the_stance_on_that_tag(api, reader, masuda_and_lin):
    masuda_claim, lin_claim = masuda_and_lin
    api.as_user(reader)

    def listed(query):
        r = api.get(f"{CLAIMS}?{query}")
        assert r.status_code == 200, r.json()
        return {claim["id"] for claim in r.json()["results"]}

    assert listed("tag=enlargement&stance=denies") == set()
    assert listed("tag=enlargement&stance=affirms") == {str(masuda_claim.pk), str(lin_claim.pk)}
    assert listed("tag=anti-us&stance=denies") == {str(masuda_claim.pk)}
    assert listed("stance=denies") == {str(masuda_claim.pk)}  # alone: the claim's own stance
    matrix = api.get("/api/v1/compare/?tag=enlargement&stance=denies").json()
    assert all(row["total"] == 0 for row in matrix["rows"])


def test_the_author_tag_network_splits_by_the_stance_on_each_tag(api, moderator, masuda_and_lin):
    r = api.as_user(moderator).get("/api/v1/export/network/author-tag.csv")
    edges = {(row["Source"], row["Target"]): row for row in csv.DictReader(io.StringIO(r.content.decode()))}
    assert edges[("Masuda", "anti-us")]["stance"] == "denies"
    assert edges[("Masuda", "enlargement")]["stance"] == "affirms"
    conflict = api.get("/api/v1/export/network/conflict.csv").content.decode()
    (edge,) = csv.DictReader(io.StringIO(conflict))
    assert (edge["opposed_tags"], edge["tags"]) == ("1", "anti-us")


def test_the_admin_edits_codings_as_text_through_the_service(admin_client, mixed):
    url = f"/admin/annotations/claim/{mixed}/change/"
    page = admin_client.get(url).content.decode()
    assert "anti-us:denies, enlargement:affirms" in page
    form = {
        "statement": "Edited.", "speaker": "", "stance": "denies", "note": "", "read_version": 1,
        "codings": "anti-us:doubts, nope, enlargement, enlargement",
        "links_out-TOTAL_FORMS": 0, "links_out-INITIAL_FORMS": 0,
        "links_in-TOTAL_FORMS": 0, "links_in-INITIAL_FORMS": 0,
    }  # fmt: skip
    refused = admin_client.post(url, form).content.decode()
    for words in ("Unknown stance", "doubts", "Unknown tag", "nope", "given twice"):
        assert words in refused
    assert codings_of(mixed) == {"anti-us": "denies", "enlargement": "affirms"}
    form["codings"] = "anti-us:qualifies, enlargement"
    assert admin_client.post(url, form).status_code == 302
    assert codings_of(mixed) == {"anti-us": "qualifies", "enlargement": "affirms"}
    assert Claim.objects.get(pk=mixed).version == 2
