"""REFI-QDA (.qdpx, .qdc) and the data package: what they hold, schema and Frictionless validation, inert cells."""

import csv
import io
import json
import zipfile

import pytest
from lxml import etree

from annotations.exports import refiqda
from annotations.models import Paper
from tests.exchange_world import build_world

QDPX = "/api/v1/export/project.qdpx"
QDC = "/api/v1/export/codebook.qdc"
PACKAGE = "/api/v1/export/datapackage.zip"
NS = {"q": refiqda.NAMESPACE}


@pytest.fixture
def world(analyst, moderator):
    return build_world(analyst=analyst, moderator=moderator)


def qdpx_of(api, user, query=""):
    r = api.as_user(user).get(QDPX + query)
    assert r.status_code == 200, r.content[:500]
    return zipfile.ZipFile(io.BytesIO(r.content))


def test_project_qde_validates_against_the_refi_qda_schema(api, moderator, world):
    archive = qdpx_of(api, moderator)
    project = etree.fromstring(archive.read("project.qde"))
    schema = refiqda.project_schema()
    assert schema.validate(project), schema.error_log
