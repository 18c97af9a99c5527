"""The agreement report as CSV (pure): every figure of the report is one row, values as in the JSON, and no text
cell a spreadsheet would run as a formula, whatever the analysts' names and the tags."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import agreement
from annotations.exports import FORMULA_STARTS
from rounds.agreement import CSV_HEADER, FIGURES, PAPER_FIGURES, report_csv

names = st.text(alphabet="ab=+-@'x \t", min_size=1, max_size=4)


@st.composite
def codings(draw):
    coders = draw(st.lists(names, min_size=1, max_size=3, unique=True))
    papers = draw(st.lists(st.sampled_from(["p1", "p2", "=p3"]), min_size=1, max_size=3, unique=True))
    claims = []
    for n in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, 80))
        tags = draw(st.dictionaries(names, st.sampled_from(["affirms", "denies", "qualifies"]), max_size=2))
        claims.append(
            agreement.CodedClaim(
                n, draw(st.sampled_from(coders)), draw(st.sampled_from(papers)), start,
                start + draw(st.integers(1, 20)), tags,
            )
        )  # fmt: skip
    return claims, dict.fromkeys(papers, 100), coders


@settings(max_examples=60, deadline=None)
@given(codings())
def test_every_figure_is_one_row_and_no_cell_is_a_formula(found):
    claims, lengths, coders = found
    data = agreement.report(claims, lengths=lengths, coders=coders)
    rows = list(csv.reader(io.StringIO(report_csv(data), newline="")))
    assert tuple(rows[0]) == CSV_HEADER
    body = [dict(zip(CSV_HEADER, row, strict=True)) for row in rows[1:]]
    pairs = sum(len(m["coders"]) * (len(m["coders"]) - 1) // 2 for m in data["pairwise"])
    per_tag = sum(len(figures) for figures in data["per_tag"].values())
    assert len(body) == len(FIGURES) + per_tag + len(PAPER_FIGURES) * len(data["per_paper"]) + pairs
    overall = {row["figure"]: row for row in body if row["scope"] == "overall"}
    for key in FIGURES:
        value = data[key]["value"]
        assert overall[key]["value"] == ("" if value is None else str(value))
        assert overall[key]["units"] == str(data[key]["units"])
    for row in body:
        for column in ("paper", "tag", "coders", "measure", "reason", "warning"):
            assert not row[column].startswith(FORMULA_STARTS) or row[column].startswith("'")
