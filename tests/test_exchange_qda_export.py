"""REFI-QDA (.qdpx, .qdc) and the data package: what they hold, schema and Frictionless validation, pandas types,
inert CSV cells and stable identifiers in every format."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from frictionless import Package
from lxml import etree

from annotations import services
from annotations.errors import ValidationError
from annotations.exports import datapackage, refiqda
from annotations.models import Paper
from tests.exchange_world import build_world
from tests.factories import PaperFactory
from tests.tricky_package import tricky_package

QDPX = "/api/v1/export/project.qdpx"
PACKAGE = "/api/v1/export/datapackage.zip"
NS = {"q": refiqda.NAMESPACE}
DOI = "10.1000/sco.2010"
PANDAS_TYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}


@pytest.fixture
def world(analyst, moderator):
    world = build_world(analyst=analyst, moderator=moderator)
    Paper.objects.filter(slug="masuda-2010").update(doi=DOI)
    return world


def qdpx_of(api, user, query=""):
    r = api.as_user(user).get(QDPX + query)
    assert r.status_code == 200
    assert r.streaming  # written as it is sent, never whole in memory
    assert r["Content-Disposition"] == 'attachment; filename="sco-claims.qdpx"'
    return zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))


def package_of(api, user, query="") -> zipfile.ZipFile:
    r = api.as_user(user).get(PACKAGE + query)
    assert r.status_code == 200
    assert r.streaming
    assert r["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))


def test_project_qde_validates_against_the_refi_qda_schema(api, moderator, world):
    archive = qdpx_of(api, moderator)
    project = etree.fromstring(archive.read("project.qde"))
    schema = refiqda.project_schema()
    assert schema.validate(project), schema.error_log


def test_project_holds_sources_selections_codes_links_users_and_notes(api, moderator, world):
    archive = qdpx_of(api, moderator)
    project = etree.fromstring(archive.read("project.qde"))
    sources = {s.get("name"): s for s in project.iterfind("q:Sources/q:TextSource", NS)}
    assert set(sources) == {"masuda-2010", "pan-2006", "yu-fu-2009"}
    masuda = sources["masuda-2010"]
    text = archive.read("sources/" + masuda.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
    c1 = world.claims["c1"]
    selection = masuda.find(f"q:PlainTextSelection[@guid='{c1.pk}']", NS)
    start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
    assert text[start:end] == c1.exact  # code points, as the standard counts characters
    assert selection.findtext("q:Description", namespaces=NS) == c1.statement
    codes = {code.get("guid"): code.get("name") for code in project.iter(f"{{{refiqda.NAMESPACE}}}Code")}
    coded = {codes[ref.get("targetGUID")] for ref in selection.iterfind("q:Coding/q:CodeRef", NS)}
    assert coded == {"not-an-alliance", "affirms"}
    alliance = project.find("q:CodeBook/q:Codes/q:Code[@name='alliance']", NS)
    assert [child.get("name") for child in alliance.iterfind("q:Code", NS)] == ["not-an-alliance"]
    memo_guid = selection.find("q:NoteRef", NS).get("targetGUID")
    memo = project.find(f"q:Notes/q:Note[@guid='{memo_guid}']", NS).findtext("q:PlainTextContent", namespaces=NS)
    assert "Speaker: Qi Guowei" in memo
    assert "Stance on tags: not-an-alliance: affirms" in memo
    assert memo.endswith("Quoted from <em>Mingbao</em>, 2007.")
    links = {link.get("guid"): link for link in project.iterfind("q:Links/q:Link", NS)}
    l2 = links[str(world.links["l2"].pk)]
    assert (l2.get("name"), l2.get("originGUID"), l2.get("targetGUID"), l2.get("direction")) == (
        "conflicts", str(world.claims["c2"].pk), str(world.claims["c3"].pk), "OneWay",
    )  # fmt: skip
    assert {u.get("name") for u in project.iterfind("q:Users/q:User", NS)} == {"ana", "mo"}
    sets = {s.get("name") for s in project.iterfind("q:Sets/q:Set", NS)}
    assert {"Masuda Masayuki", "Pan Guang", "Li Wei"} <= sets


def test_the_qdpx_takes_the_filters_and_visibility_of_claims(api, reader, world):
    project = etree.fromstring(qdpx_of(api, reader, "?paper=masuda-2010").read("project.qde"))
    selections = {s.get("guid") for s in project.iter(f"{{{refiqda.NAMESPACE}}}PlainTextSelection")}
    assert selections == {str(world.claims["c1"].pk)}  # approved and on that paper
    r = api.as_user(reader).get(QDPX + "?stance=sideways")
    assert r.status_code == 400


def test_the_data_package_is_valid_frictionless_and_pandas_reads_every_column_typed(api, moderator, world, tmp_path):
    package_of(api, moderator).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert {r["name"] for r in descriptor["resources"]} == set(datapackage.TABLES)
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        assert all(field["description"] for field in fields)
        dtypes = {f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["type"] in PANDAS_TYPES}
        dates = [f["name"] for f in fields if f["type"] in ("date", "datetime")]
        frame = pd.read_csv(tmp_path / resource["path"], dtype=dtypes, parse_dates=dates, keep_default_na=False,
                            na_values=[""])  # fmt: skip
        assert list(frame.columns) == [f["name"] for f in fields]
        for name in dates:
            assert pd.api.types.is_datetime64_any_dtype(frame[name]) or frame[name].isna().all(), name
    claims = pd.read_csv(tmp_path / "claims.csv", dtype={"start": "Int64", "end": "Int64", "pages": "string"})
    c1 = world.claims["c1"]
    row = claims[claims["id"] == str(c1.pk)].iloc[0]
    assert (row["start"], row["end"], row["exact"]) == (c1.start, c1.end, c1.exact)
    assert pd.isna(row["pages"])  # a text without page breaks
    assert row["paper_identifier"] == f"https://doi.org/{DOI}"
    assert row["context_before"].endswith("unlike the CSTO, ")
    codings = pd.read_csv(tmp_path / "codings.csv")
    c2 = codings[codings["claim"] == str(world.claims["c2"].pk)]
    assert dict(zip(c2["tag"], c2["stance"], strict=True)) == {"alliance": "affirms", "three-evils": "denies"}
    links = pd.read_csv(tmp_path / "links.csv", keep_default_na=False)
    l1 = links[links["id"] == str(world.links["l1"].pk)].iloc[0]
    assert (l1["source_paper"], l1["target_paper"], l1["target_authors"]) == ("masuda-2010", "pan-2006",
                                                                              "Pan Guang; Li Wei")  # fmt: skip


def test_the_dna_statement_table_has_one_row_per_actor_concept_and_agreement(api, moderator, world, tmp_path):
    package_of(api, moderator).extractall(tmp_path)
    statements = pd.read_csv(tmp_path / "statements.csv", dtype={"agreement": "Int64"}, keep_default_na=False,
                             na_values=[""])  # fmt: skip
    c1 = statements[statements["claim"] == str(world.claims["c1"].pk)]
    assert c1[["actor", "concept", "agreement"]].values.tolist() == [["Qi Guowei", "not-an-alliance", 1]]
    c2 = statements[statements["claim"] == str(world.claims["c2"].pk)].sort_values("concept")
    assert c2[["actor", "organisation", "concept", "agreement", "date"]].values.tolist() == [
        ["Masuda Masayuki", "NIDS", "alliance", 1, "2010-01-01"],
        ["Masuda Masayuki", "NIDS", "three-evils", 0, "2010-01-01"],
    ]


def test_every_csv_cell_that_a_spreadsheet_would_run_is_made_inert(api, analyst, moderator, world, tmp_path):
    hostile = services.claim_create(
        created_by=analyst, paper=world.claims["c1"].paper, target={"start": 0, "end": 7},
        statement="=HYPERLINK(\"http://evil.example\",\"x\")", speaker="+cmd", note="@SUM(1)",
        tags=[world.tags["alliance"]],
    )  # fmt: skip
    services.link_create(created_by=analyst, source=hostile, target=world.claims["c1"], relation="supports",
                         rationale="-2+3")  # fmt: skip
    package_of(api, moderator).extractall(tmp_path)
    cells = [
        cell
        for path in tmp_path.glob("*.csv")
        for row in csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline=""))
        for cell in row
    ]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert {"'+cmd", "'@SUM(1)", "'-2+3"} <= set(cells)
    links_csv = api.as_user(moderator).get("/api/v1/export/links.csv")
    assert links_csv["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(links_csv.streaming_content).decode()
    assert ",'-2+3," in text
    assert ",-2+3," not in text
    assert "remove one leading '" in json.loads((tmp_path / "datapackage.json").read_text())["description"]


def test_each_table_is_also_its_own_csv_endpoint(api, reader, world):
    for table in datapackage.TABLES:
        r = api.as_user(reader).get(f"/api/v1/export/tables/{table}.csv")
        assert r.status_code == 200, table
        header = b"".join(r.streaming_content).decode().splitlines()[0]
        assert header == ",".join(field.name for field in datapackage.TABLES[table])
    assert api.as_user(reader).get("/api/v1/export/tables/secrets.csv").status_code == 404


def test_stable_identifiers_in_every_format(api, moderator, world, tmp_path):
    masuda, pan = f"https://doi.org/{DOI}", "urn:sco-claims:paper:pan-2006"
    w3c = json.loads(b"".join(api.as_user(moderator).get("/api/v1/export/w3c.jsonld").streaming_content))
    sources = {a["target"]["source"] for a in w3c["first"]["items"] if a["motivation"] == "describing"}
    assert sources == {masuda, pan}
    aif = json.loads(b"".join(api.as_user(moderator).get("/api/v1/export/aif.json").streaming_content))
    assert {loc["source"] for loc in aif["locutions"]} == {masuda, pan}
    project = etree.fromstring(qdpx_of(api, moderator).read("project.qde"))
    identifier = refiqda.guid("variable", "identifier")
    values = {
        ref.getparent().findtext("q:TextValue", namespaces=NS)
        for ref in project.iter(f"{{{refiqda.NAMESPACE}}}VariableRef")
        if ref.get("targetGUID") == identifier
    }
    assert values == {masuda, pan, "urn:sco-claims:paper:yu-fu-2009"}  # fmt: skip
    package_of(api, moderator).extractall(tmp_path)
    papers = pd.read_csv(tmp_path / "papers.csv")
    assert set(papers["identifier"]) == {masuda, pan, "urn:sco-claims:paper:yu-fu-2009"}
    native = json.loads(b"".join(api.as_user(moderator).get("/api/v1/export/claims.json").streaming_content))
    assert {p["slug"]: p["doi"] for p in native["papers"]}["masuda-2010"] == DOI
    for text in (json.dumps(w3c["first"]["items"][0]["target"]["source"]), json.dumps(aif["locutions"])):
        assert "testserver" not in text  # the server's address only as `via`


@pytest.mark.parametrize("path", [QDPX, PACKAGE, "/api/v1/export/tables/links.csv", "/api/v1/export/codebook.qdc"])
def test_the_queries_do_not_grow_with_the_claims(api, analyst, moderator, world, path):
    client = api.as_user(moderator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
            assert b"".join(response.streaming_content) if response.streaming else response.content
        return len(captured)

    few = queries()
    paper = world.claims["c1"].paper
    for start in range(0, 40, 4):
        claim = services.claim_create(created_by=analyst, paper=paper, target={"start": start, "end": start + 3},
                                      statement="More.", tags=[world.tags["alliance"]])  # fmt: skip
        services.link_create(created_by=analyst, source=claim, target=world.claims["c1"], relation="supports")
    assert queries() == few


def test_the_openapi_schema_gives_the_new_exports_real_media_types_and_errors(api, reader):
    schema = api.as_user(reader).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    media = {
        "/api/v1/export/project.qdpx": "application/vnd.refi-qda.qdpx+zip",
        "/api/v1/export/codebook.qdc": "application/xml",
        "/api/v1/export/datapackage.zip": "application/zip",
        "/api/v1/export/links.csv": "text/csv",
        "/api/v1/export/tables/{table}.csv": "text/csv",
    }
    for path, media_type in media.items():
        responses = schema["paths"][path]["get"]["responses"]
        assert list(responses["200"]["content"]) == [media_type], path
        assert "401" in responses
    assert "400" in schema["paths"]["/api/v1/export/project.qdpx"]["get"]["responses"]
    import_op = schema["paths"]["/api/v1/import/"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(import_op["requestBody"]["content"])
    assert {"400", "413"} <= set(import_op["responses"])
    assert {p["name"] for p in import_op["parameters"]} >= {"dry_run", "paper", "unplaced"}


def test_a_moderator_gives_a_paper_its_doi_in_any_spelling_and_the_api_shows_its_identifier(api, moderator, world):
    paper = world.claims["c3"].paper
    services.paper_update(paper_id=paper.pk, by=moderator, doi="https://doi.org/10.5555/PAN.2006", url="")
    paper.refresh_from_db()
    assert (paper.doi, paper.url) == ("10.5555/pan.2006", None)
    r = api.as_user(moderator).get(f"/api/v1/papers/{paper.slug}/")
    assert r.json()["identifier"] == "https://doi.org/10.5555/pan.2006"
    assert r.json()["doi"] == "10.5555/pan.2006"
    with pytest.raises(ValidationError) as refused:
        services.paper_update(paper_id=paper.pk, by=moderator, doi="not a doi")
    assert "doi" in refused.value.message_dict
    services.paper_update(paper_id=paper.pk, by=moderator, doi="", url="https://example.org/pan")
    assert api.as_user(moderator).get(f"/api/v1/papers/{paper.slug}/").json()["identifier"] == "https://example.org/pan"


def test_claims_csv_gives_the_pages_of_each_quote_as_label_and_typed_numbers(api, analyst, moderator, tmp_path):
    text = "Page one text.\n\nPage two text.\n\nPage three."
    paged = PaperFactory(slug="paged", text=text, pages=[[0, 16], [16, 32], [32, 43]])
    on_two = services.claim_create(created_by=analyst, paper=paged, target={"exact": "two"}, statement="On two.")
    across = services.claim_create(created_by=analyst, paper=paged, target={"start": 5, "end": 20}, statement="1-2")
    package_of(api, moderator).extractall(tmp_path)
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    fields = next(r for r in json.loads((tmp_path / "datapackage.json").read_text())["resources"]
                  if r["name"] == "claims")["schema"]["fields"]  # fmt: skip
    described = {field["name"]: (field["type"], field["description"]) for field in fields}
    assert described["first_page"][0] == described["last_page"][0] == "integer"
    assert "pp. 12\u201313" in described["pages"][1]
    claims = pd.read_csv(tmp_path / "claims.csv", dtype={"first_page": "Int64", "last_page": "Int64",
                                                         "pages": "string"}).set_index("id")  # fmt: skip
    assert claims.loc[str(on_two.pk), ["pages", "first_page", "last_page"]].tolist() == ["p. 2", 2, 2]
    assert claims.loc[str(across.pk), ["pages", "first_page", "last_page"]].tolist() == ["pp. 1\u20132", 1, 2]


def test_the_two_zips_come_out_in_pieces_as_they_are_written(api, moderator, world, monkeypatch):
    monkeypatch.setattr(refiqda, "STEP", 1)  # a chance to send after every element
    for path in (QDPX, PACKAGE):
        response = api.as_user(moderator).get(path)
        pieces = [piece for piece in response.streaming_content if piece]
        assert len(pieces) > 5, path  # one per paper, selection, note, table...: never one whole archive
        assert zipfile.ZipFile(io.BytesIO(b"".join(pieces))).testzip() is None


def test_the_pandas_snippet_of_the_docs_reads_the_package_typed_and_keeps_awkward_text(
    api, analyst, moderator, tmp_path, monkeypatch
):
    tricky_package(api, analyst, moderator, tmp_path)
    docs = (Path(__file__).resolve().parent.parent / "docs" / "exchange.md").read_text(encoding="utf-8")
    snippet = next(block for block in re.findall(r"```python\n(.*?)```", docs, flags=re.S) if "def read(" in block)
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(snippet, names)  # the docs' own code, on the package
    claims = names["read"]("claims").set_index("statement")
    assert claims.loc['A "quoted", comma\nsecond line', "speaker"] == "007"  # text, not the number 7
    assert claims.loc["'=SUM(A1:A2)", "speaker"] == "NA"  # a speaker named NA, not a missing value
    assert claims.loc['A "quoted", comma\nsecond line', "note"] == "Line 1\r\nline 2 — ünï 🌏, \\ #"
    assert claims.loc["'=SUM(A1:A2)", ["first_page", "last_page"]].tolist() == [1, 2]
    assert str(claims["first_page"].dtype) == "Int64"
    assert pd.api.types.is_datetime64_any_dtype(claims["created_at"])
    assert len(names["claims"]) == 3  # the merge with codings: a row per claim x tag
