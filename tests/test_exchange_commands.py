"""export_claims and import_claims: the endpoints' work from the shell."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from lxml import etree

from annotations.exports import refiqda
from annotations.models import Claim, Link
from tests.exchange_world import build_world

PACKAGE = "/api/v1/export/datapackage.zip"


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


@pytest.mark.parametrize("name", ["native", "w3c", "aif", "graphml", "csv"])
def test_export_claims_writes_each_format_to_a_file(world, tmp_path, name):
    path = tmp_path / f"out.{name}"
    call_command("export_claims", "--format", name, "-o", str(path), stderr=io.StringIO())
    text = path.read_text(encoding="utf-8")
    if name == "native":
        assert len(json.loads(text)["claims"]) == 4  # as a moderator sees them: all but the deleted one
    elif name == "w3c":
        document = json.loads(text)
        assert document["total"] == 7
        assert len(document["first"]["items"]) == 7
        # The paper's stable identifier; the address given with --base-url is the reader page, its `via`.
        assert document["first"]["items"][0]["target"]["source"] == "urn:sco-claims:paper:masuda-2010"
        assert document["first"]["items"][0]["target"]["via"].startswith("http://localhost:8000/papers/")
    elif name == "aif":
        assert sum(node["type"] == "I" for node in json.loads(text)["nodes"]) == 4
    elif name == "graphml":
        assert text.count("<node ") == 4
        assert text.count("<edge ") == 3
    else:
        assert len(list(csv.DictReader(io.StringIO(text)))) == 4


def test_export_claims_writes_the_qdpx_and_the_data_package_of_a_project(world, tmp_path, api, moderator):
    qdpx, package = tmp_path / "out.qdpx", tmp_path / "out.zip"
    call_command("export_claims", "--format", "qdpx", "-o", str(qdpx), "--project", "sco-security-cooperation",
                 "--paper", "masuda-2010", stderr=io.StringIO())  # fmt: skip
    project = etree.fromstring(zipfile.ZipFile(qdpx).read("project.qde"))
    assert refiqda.project_schema().validate(project)
    selections = {s.get("guid") for s in project.iter(f"{{{refiqda.NAMESPACE}}}PlainTextSelection")}
    assert selections == {str(world.claims["c1"].pk), str(world.claims["c2"].pk)}  # the filter, as a moderator
    call_command("export_claims", "--format", "datapackage", "-o", str(package), stderr=io.StringIO())
    archive = zipfile.ZipFile(package)
    assert "datapackage.json" in archive.namelist()
    # The same tables as the endpoint gives a moderator.
    endpoint = zipfile.ZipFile(io.BytesIO(b"".join(api.as_user(moderator).get(PACKAGE).streaming_content)))
    assert archive.read("claims.csv") == endpoint.read("claims.csv")
    with pytest.raises(CommandError, match="give the file to write with -o"):
        call_command("export_claims", "--format", "qdpx", stdout=io.StringIO())
    with pytest.raises(CommandError, match="there is no project"):
        call_command("export_claims", "--format", "qdpx", "-o", str(qdpx), "--project", "nowhere")


def test_export_claims_takes_the_filters_of_claims(world):
    out = io.StringIO()
    call_command("export_claims", "--paper", "pan-2006", "--status", "approved", stdout=out)
    document = json.loads(out.getvalue())
    assert [c["id"] for c in document["claims"]] == [str(world.claims["c3"].pk)]
    with pytest.raises(CommandError, match='Unknown paper "nope"'):
        call_command("export_claims", "--paper", "nope", stdout=io.StringIO())


def test_import_claims_dry_run_writes_nothing_and_as_needs_a_moderator(world, tmp_path, analyst):
    path = tmp_path / "export.json"
    call_command("export_claims", "-o", str(path), stderr=io.StringIO())
    Link.objects.all().delete()
    out = io.StringIO()
    call_command("import_claims", str(path), "--dry-run", "--as", "mo", stdout=out)
    assert "dry run" in out.getvalue()
    assert "links: 3 created" in out.getvalue()
    assert Link.objects.count() == 0
    with pytest.raises(CommandError, match="Only moderators can import"):
        call_command("import_claims", str(path), "--as", analyst.username, stdout=io.StringIO())
    call_command("import_claims", str(path), stdout=io.StringIO())
    assert Link.objects.count() == 3


def test_import_claims_lists_every_problem_with_its_path(world, tmp_path):
    out = io.StringIO()
    call_command("export_claims", stdout=out)
    document = json.loads(out.getvalue())
    document["claims"][0]["tags"] = ["no-such-tag"]
    document["links"][0]["relation"] = "likes"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = Claim.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("import_claims", str(path), stdout=io.StringIO())
    assert 'claims[0].tags[0]: Unknown tag "no-such-tag".' in str(raised.value)
    assert 'links[0].relation: Unknown relation "likes"' in str(raised.value)
    assert Claim.objects.count() == before
