import os

import pytest
from hypothesis import settings
from rest_framework.test import APIClient

from annotations.models import Role
from tests.factories import PaperFactory, TagFactory, UserFactory

# Under CI the property tests draw the same examples every run, so a red build is one anyone can reproduce;
# locally they explore (and keep what they find in .hypothesis/).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


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
