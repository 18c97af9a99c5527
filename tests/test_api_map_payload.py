"""GET map/ for the /map/ page: the compact first payload (bounded fields, same graph as the full shape, fixed
query count) and `unlinked=hide`, which leaves out the claims without a drawn link."""

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import discourse
from annotations.discourse import ClaimRow, LinkRow
from annotations.models import Claim, Coding, Link, Status
from tests.discourse_set import LI, SU, build_argument
from tests.factories import AuthorFactory, PaperFactory, TagFactory


@pytest.fixture
def argument(moderator):
    return build_argument(moderator)


def decoded(body: dict) -> tuple[dict, list]:
    """The compact answer read back: claim id -> its fields by name, and the edges as (source, target, ...)."""
    nodes = {}
    for row in body["nodes"]:
        node = dict(zip(body["node_columns"], row, strict=True))
        nodes[node["id"]] = {
            "paper": body["papers"][node["paper"]]["slug"],
            "authors": body["papers"][node["paper"]]["authors"],
            "stance": body["stances"][node["stance"]],
            "status": body["statuses"][node["status"]],
            "tags": [body["tags"][i] for i in node["tags"]],
            "speaker": None if node["speaker"] is None else body["speakers"][node["speaker"]],
            "label": node["label"],
        }
    ids = [row[0] for row in body["nodes"]]
    edges = [
        (ids[s], ids[t], body["relations"][relation], body["statuses"][status])
        for s, t, relation, status in body["edges"]
    ]
    return nodes, edges


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "include=pending", "relation=conflicts", "tag=us-competition&unlinked=hide"])
def test_the_compact_map_is_the_full_map_without_quotes_and_ids_of_links(api, moderator, argument, query):
    api.as_user(moderator)
    full = api.get(f"/api/v1/map/?{query}").json()
    compact = api.get(f"/api/v1/map/?{query}&shape=compact").json()
    assert compact["shape"] == "compact"
    assert compact["counted"] == full["counted"]
    nodes, edges = decoded(compact)
    assert list(nodes) == [n["id"] for n in full["nodes"]]  # the same claims in the same order
    for node in full["nodes"]:
        ours = nodes[node["id"]]
        for field in ("paper", "authors", "stance", "status", "tags", "speaker"):
            assert ours[field] == node[field]
        assert ours["label"] == node["statement"]  # short statements are whole
    assert edges == [(e["source"], e["target"], e["relation"], e["status"]) for e in full["edges"]]
    text = json.dumps(compact)
    for claim in argument["claims"].values():
        assert claim.exact not in text  # quotes come with claims/{id}/ when a claim is opened


@pytest.mark.django_db
def test_a_two_author_claim_keeps_its_byline_in_the_compact_map(api, reader, argument):
    nodes, _ = decoded(api.as_user(reader).get("/api/v1/map/?shape=compact").json())
    assert nodes[str(argument["claims"][4].pk)]["authors"] == [SU, LI]
    assert nodes[str(argument["claims"][4].pk)]["tags"] == ["not-an-alliance", "shanghai-spirit"]
    assert nodes[str(argument["claims"][2].pk)]["speaker"] == "Qi Guowei"


@pytest.mark.django_db
def test_unlinked_hide_leaves_out_the_claims_without_a_drawn_link(api, reader, argument):
    c, links = argument["claims"], argument["links"]
    api.as_user(reader)
    body = api.get("/api/v1/map/?relation=conflicts&unlinked=hide").json()
    assert {n["id"] for n in body["nodes"]} == {str(c[k].pk) for k in (1, 2, 3, 4, 5, 6)}
    assert {e["id"] for e in body["edges"]} == {str(links[k].pk) for k in (1, 3, 4)}
    body = api.get("/api/v1/map/?relation=restates&unlinked=hide").json()
    assert body == {"nodes": [], "edges": [], "counted": ["approved"]}
    kept = api.get("/api/v1/map/?relation=conflicts&unlinked=keep").json()
    assert len(kept["nodes"]) == 9  # the toggle keeps them, as the map always did


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("shape=tiny", "shape", 'Unknown shape "tiny": use full, compact.'),
        ("unlinked=drop", "unlinked", 'Unknown unlinked "drop": use keep, hide.'),
    ],
)
def test_unknown_shapes_and_unlinked_choices_are_refused(api, reader, argument, query, field, message):
    r = api.as_user(reader).get(f"/api/v1/map/?{query}")
    assert r.status_code == 400
    assert r.json() == {field: [message]}


def many(user, n: int, statement_length: int) -> None:
    """n approved claims with long quotes and statements over two papers, two tags each, three links each."""
    papers = [PaperFactory(authors=[AuthorFactory(), AuthorFactory()]), PaperFactory()]
    tags = [TagFactory(), TagFactory(), TagFactory()]
    claims = [
        Claim(paper=p, start=0, end=60, exact=p.text[:60], statement=f"{i} " + "a very long statement " * 200,
              stance=discourse.STANCES[i % 3], created_by=user, status=Status.APPROVED)
        for i, p in zip(range(n), itertools.cycle(papers), strict=False)
    ]  # fmt: skip
    for claim in claims:
        claim.statement = claim.statement[:statement_length]
    Claim.objects.bulk_create(claims)
    Coding.objects.bulk_create(
        Coding(claim_id=c.pk, tag_id=t.pk, stance=c.stance)
        for i, c in enumerate(claims)
        for t in (tags[i % 2], tags[2])
    )
    Link.objects.bulk_create(
        Link(source=claims[i], target=claims[(i + step) % n], relation=discourse.mapview.RELATIONS[step - 1],
             created_by=user, status=Status.APPROVED)
        for i in range(n) for step in (1, 2, 3)
    )  # fmt: skip


@pytest.mark.django_db
def test_the_compact_payload_is_bounded_per_claim_and_per_link_and_its_queries_fixed(
    api, moderator, django_assert_num_queries
):
    """However long the statements and quotes: at most 170 bytes a claim (its id, five small indexes, a label of
    80 code points) and 20 bytes a link, so 10,000 claims and 30,000 links stay under 2 MiB."""
    many(moderator, 200, 4000)
    api.as_user(moderator)
    with django_assert_num_queries(7):  # token and user, permissions; claims, page ranges, tags, bylines, links
        r = api.get("/api/v1/map/?shape=compact")
    body = r.json()
    assert (len(body["nodes"]), len(body["edges"])) == (200, 600)
    assert all(len(row[-1]) <= discourse.LABEL_LENGTH for row in body["nodes"])
    assert body["nodes"][0][-1].endswith("…")
    per_link = len(json.dumps(body["edges"], separators=(",", ":"))) / 600
    per_claim = (len(r.content) - len(json.dumps(body["edges"], separators=(",", ":")))) / 200
    assert per_link <= 20
    assert per_claim <= 170
    assert 10_000 * per_claim + 30_000 * per_link <= 2 * 1024 * 1024
    full = api.get("/api/v1/map/").content
    assert len(r.content) * 5 < len(full)


# ---- the pure shapes


@st.composite
def graphs(draw):
    n = draw(st.integers(0, 12))
    claims = [
        ClaimRow(
            id=f"c{i}",
            paper=draw(st.sampled_from(["p1", "p2", "p3"])),
            authors=("Ann",),
            speaker=draw(st.sampled_from(["", "Qi", "Hu"])),
            stance=draw(st.sampled_from(discourse.STANCES)),
            tags=tuple(draw(st.lists(st.sampled_from(["a", "b", "c"]), unique=True, max_size=3))),
            status=draw(st.sampled_from(["approved", "pending"])),
            statement=draw(st.text(max_size=200)),
        )
        for i in range(n)
    ]
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=20)) if n else []
    links = [
        LinkRow(f"L{k}", f"c{a}", f"c{b}", draw(st.sampled_from(discourse.mapview.RELATIONS)))
        for k, (a, b) in enumerate(pairs)
    ]
    return claims, links


@given(graphs())
def test_compact_and_full_describe_the_same_graph(graph):
    claims, links = graph
    full = discourse.full_map(claims, links)
    nodes, edges = decoded(discourse.compact_map(claims, links))
    assert list(nodes) == [n["id"] for n in full["nodes"]]
    for node in full["nodes"]:
        assert {k: nodes[node["id"]][k] for k in ("paper", "stance", "status", "tags", "speaker")} == {
            k: node[k] for k in ("paper", "stance", "status", "tags", "speaker")
        }
        label = nodes[node["id"]]["label"]
        assert len(label) <= discourse.LABEL_LENGTH
        assert label.rstrip("…").rstrip() in " ".join(node["statement"].split())
    assert edges == [(e["source"], e["target"], e["relation"], e["status"]) for e in full["edges"]]


@given(graphs())
def test_linked_only_keeps_exactly_the_ends_of_the_links(graph):
    claims, links = graph
    kept = discourse.linked_only(claims, links)
    ends = {link.source for link in links} | {link.target for link in links}
    assert [c.id for c in kept] == [c.id for c in claims if c.id in ends]
