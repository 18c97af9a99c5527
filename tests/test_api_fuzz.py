"""Fuzz every API operation from its own OpenAPI schema (schemathesis): whatever the input, never a 5xx, and
every answer is one the schema declares (status, media type, body, headers); input the schema says is invalid
is refused.

Bounded and deterministic (a fixed number of examples per operation, derandomized), so it runs in the normal
suite on SQLite and on PostgreSQL. Authenticated as a moderator, the role that can reach every operation.
"""

import uuid
import zlib

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.models import Status
from sco_claims.wsgi import application
from tests.factories import ClaimFactory, LinkFactory, PaperFactory, TagFactory

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = 20
# Every check that judges one response against the schema; the stateful ones (use_after_free, ...) need a
# multi-step run this suite does not make.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]


# Loaded at collection: the schema view needs no database (when open to anonymous readers).
with override_settings(PUBLIC_API_DOCS=True):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

# Fixed ids, so that half the generated paths reach real claims and links (the rest stay random and miss).
CLAIM_IDS = [uuid.UUID(int=n) for n in (1, 2, 3)]
LINK_ID = uuid.UUID(int=4)


@schema.hook
def map_path_parameters(context, path_parameters):
    value = (path_parameters or {}).get("id")
    if value is None or zlib.crc32(str(value).encode()) % 2:
        return path_parameters
    path = context.operation.path
    if path.startswith("/api/v1/claims/"):
        return path_parameters | {"id": str(CLAIM_IDS[zlib.crc32(str(value).encode()) % 3])}
    if path.startswith("/api/v1/links/"):
        return path_parameters | {"id": str(LINK_ID)}
    return path_parameters


@pytest.fixture
def in_test_transaction():
    """Schemathesis calls the WSGI app directly; like Django's test client, keep the app from closing the
    test's database connection (and with it the test transaction) at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def moderator_token(moderator):
    return Token.objects.create(user=moderator).key


@pytest.fixture
def corpus(db, analyst):
    """Something for the fuzzer to find: a paper with claims of each status, a tag tree, links."""
    paper = PaperFactory(slug="masuda-2010")
    parent = TagFactory(slug="alliance")
    TagFactory(slug="not-an-alliance", parent=parent)
    claims = [
        ClaimFactory(id=claim_id, paper=paper, at=(0, 7), created_by=analyst, status=status)
        for claim_id, status in zip(CLAIM_IDS, (Status.PENDING, Status.APPROVED, Status.REJECTED), strict=True)
    ]
    LinkFactory(id=LINK_ID, source=claims[0], target=claims[1], created_by=analyst)
    return paper


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_one_the_schema_declares(case, in_test_transaction, moderator_token, corpus):
    cache.clear()  # the token endpoint's throttle would otherwise answer 429 to most examples
    case.call_and_validate(headers={"Authorization": f"Token {moderator_token}"}, checks=CHECKS)
