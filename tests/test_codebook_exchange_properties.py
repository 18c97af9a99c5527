"""The codebook files are pure and round-trip (hypothesis): whatever the tags hold (commas, quotes, formulas,
line breaks, any script), writing them as JSON, CSV or .qdc and reading the file back gives the same records."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.exports.codebook import codebook_file
from annotations.importing.codebook import read_codebook

# No control characters (refused everywhere), no surrogates or U+FFFE/U+FFFF (XML cannot carry them); text as
# stored, without surrounding white space (the import strips it).
LETTERS = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")


def text(max_size: int, *, lines: bool) -> st.SearchStrategy[str]:
    alphabet = (
        st.one_of(LETTERS, st.sampled_from("\n=+-@',\"")) if lines else st.one_of(LETTERS, st.sampled_from("=+-@',\""))
    )
    return st.text(alphabet, max_size=max_size).map(str.strip)


@st.composite
def codebooks(draw, *, lines: bool = True):
    slugs = draw(st.lists(st.from_regex(r"[a-z0-9][-a-z0-9_]{0,20}", fullmatch=True), unique=True, max_size=8))
    tags = []
    for index, slug in enumerate(slugs):
        parent = draw(st.none() | st.sampled_from(slugs[:index])) if index else None
        tags.append({
            "slug": slug,
            "name": draw(text(120, lines=False).filter(bool)),
            "description": draw(text(300, lines=lines)),
            "colour": draw(st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)),
            "parent": parent,
        })  # fmt: skip
    return tags


@settings(max_examples=60, deadline=None)
@given(tags=codebooks())
def test_json_and_csv_round_trip(tags):
    for kind in ("json", "csv"):
        raw = codebook_file(tags, kind=kind, project="p")
        found, records, places = read_codebook(raw)
        assert found == kind
        assert records == tags
        assert set(places) == {tag["slug"] for tag in tags}


@settings(max_examples=40, deadline=None)
@given(tags=codebooks(lines=False))
def test_qdc_round_trip(tags):
    # Our own codes come back by their slugs (the codes' guids say they are ours); the description holds the
    # name, a blank line and the description, so a name never holds a line break here.
    found, records, _ = read_codebook(codebook_file(tags, kind="qdc", project="p"))
    assert found == "qdc"
    assert sorted(records, key=lambda r: r["slug"]) == sorted(tags, key=lambda r: r["slug"])
