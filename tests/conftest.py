import os
from unittest import mock

import pytest
from django.db import connection, transaction
from hypothesis import settings
from rest_framework.test import APIClient

from annotations.models import Role
from tests.factories import PaperFactory, TagFactory, UserFactory

# Under CI the property tests draw the same examples every run, so a red build is one anyone can reproduce;
# locally they explore (and keep what they find in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True, scope="session")
def postgres_flush_deletes_rows():
    """On PostgreSQL, the flush that ends each transactional test (every browser test) deletes the rows instead of
    truncating the tables: TRUNCATE of the app's hundred-odd tables takes about two seconds, whatever they hold, where
    DELETE of the few rows a test wrote takes a tenth of that. One transaction either way, and the foreign keys Django
    makes are deferred to its commit, so the order of the tables does not matter; the database ends as empty."""
    operations = type(connection.ops)
    if connection.vendor != "postgresql":
        yield
        return
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    with mock.patch.object(operations, "sql_flush", sql_flush):
        yield


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker):
    """One transaction around the tests of a module, rolled back after the last: for the data a read-mostly module
    builds once (a module-scoped `world`) where each test used to build the same again. Each test's own transaction
    (pytest-django's `db`, a test case's) is a savepoint inside it, so what a test writes is still undone after it,
    and the module's data after the module. Not for transactional tests (they flush the database)."""
    if request.node.get_closest_marker("django_db") is None:
        pytest.fail(
            "module_db needs each test of the module in its own transaction: pytestmark = pytest.mark.django_db"
        )
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic._from_testcase = True  # like a test case's: it never commits, so writes bump the reader cache at once
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class Api(APIClient):
    """An API client that can act as a given user (token auth, as scripts do)."""

    def as_user(self, user):
        from rest_framework.authtoken.models import Token

        token, _ = Token.objects.get_or_create(user=user)
        self.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return self


@pytest.fixture
def api():
    return Api()


@pytest.fixture
def reader(db):
    return UserFactory(username="rita", role=Role.READER)


@pytest.fixture
def analyst(db):
    return UserFactory(username="ana", role=Role.ANALYST)


@pytest.fixture
def other_analyst(db):
    return UserFactory(username="otto", role=Role.ANALYST)


@pytest.fixture
def moderator(db):
    return UserFactory(username="mo", role=Role.MODERATOR)


@pytest.fixture
def paper(db):
    return PaperFactory(slug="masuda-2010")


@pytest.fixture
def tag(db):
    return TagFactory(slug="not-an-alliance", name="The SCO is not an alliance")


def _uses_the_database(item) -> bool:
    """As pytest-django decides it: a Django test case, a django_db mark or a database fixture."""
    from django.test import TransactionTestCase

    test_case = getattr(item, "cls", None)
    if test_case is not None and issubclass(test_case, TransactionTestCase):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or any(
        name in fixtures for name in ("db", "transactional_db", "live_server")
    )


def pytest_collection_modifyitems(items):
    """Run the tests that use no database first. pytest-django (whose hook runs before this one) puts them last, and the
    slowest tests of the suite are among them (a gunicorn worker, processes meeting through Redis, property tests over
    pure modules): one of them starting last kept one xdist worker busy while the other had nothing left to do. The
    order pytest-django keeps among the database tests (transactional ones after the others) does not change."""
    items.sort(key=_uses_the_database)
