"""The presenters are pure: any text goes in and comes back out of each format unchanged (hypothesis)."""

import csv
import io
import json
import re
from datetime import UTC, datetime
from types import SimpleNamespace

import networkx
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.exports import iso, native, networks, parse_iso
from annotations.records import CodingRow

texts = st.text(max_size=80)
records = st.lists(st.dictionaries(st.sampled_from(["a", "b", "c"]), texts | st.integers() | st.none()), max_size=5)
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@given(papers=records, tags=records, claims=records, links=records, filters=st.dictionaries(texts, texts))
def test_native_render_is_json_with_the_records_in_order(papers, tags, claims, links, filters):
    text = "".join(
        native.render(
            exported_at="2026-01-01T00:00:00Z",
            filters=filters,
            papers=papers,
            authors=[],
            tags=tags,
            claims=claims,
            links=links,
        )
    )
    document = json.loads(text)
    assert list(document) == ["format", "version", "exported_at", "filters", *native.SECTIONS]
    assert (document["papers"], document["tags"], document["claims"], document["links"]) == (
        papers,
        tags,
        claims,
        links,
    )
    assert document["filters"] == filters


@given(st.datetimes(timezones=st.just(UTC)))
def test_timestamps_survive_iso_and_back(moment: datetime):
    assert parse_iso(iso(moment)) == moment


@settings(max_examples=40, deadline=None)
@given(label=texts, node_id=texts.filter(lambda s: not XML_INVALID.search(s)))
def test_graphml_carries_any_text(label, node_id):
    text = "".join(
        networks.graphml(
            keys=[networks.Key("label", "node"), networks.Key("weight", "edge", "int")],
            nodes=[networks.Node(node_id, {"label": label}), networks.Node(node_id + "2")],
            edges=[networks.Edge(node_id, node_id + "2", {"weight": 3})],
        )
    )
    graph = networkx.read_graphml(io.BytesIO(text.encode("utf-8")))
    expected = XML_INVALID.sub("", label)
    assert graph.nodes[node_id].get("label", "") == expected
    assert graph.edges[node_id, node_id + "2"]["weight"] == 3


def fake_claim(statement: str, exact: str, speaker: str, codings: dict[str, str]):
    # The presenters read typed rows (records.row_class), as selectors.claim_rows yields them.
    return SimpleNamespace(
        id="c1",
        paper_slug="p",
        paper_id=1,
        speaker=speaker,
        stance="affirms",
        codings=tuple(CodingRow(s, stance) for s, stance in codings.items()),
        status="approved",
        start=0,
        end=len(exact),
        pages=None,
        exact=exact,
        statement=statement,
        created_by="ana",
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


@given(
    statement=texts,
    exact=texts,
    speaker=texts,
    codings=st.dictionaries(
        st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.sampled_from(["affirms", "denies", "qualifies"])
    ),
)
def test_csv_rows_read_back_as_written(statement, exact, speaker, codings):
    claim = fake_claim(statement, exact, speaker, codings)
    text = "".join(networks.claims_csv(claims=[claim], paper_authors={1: ["A B", "C"]}))
    header, row = list(csv.reader(io.StringIO(text, newline="")))
    assert header == networks.CSV_COLUMNS
    values = dict(zip(header, row, strict=True))
    # As docs/exchange.md says: a text cell starting with a quote had one added (formula guard); drop it.
    raw = [
        cell[1:] if cell.startswith("'") else cell for cell in (values["statement"], values["exact"], values["speaker"])
    ]
    assert raw == [statement, exact, speaker]
    assert values["tags"] == ";".join(sorted(codings))
    read_back = dict(pair.split(":") for pair in values["codings"].split(";") if pair)
    assert read_back == codings
    assert values["authors"] == "A B; C"
