"""The 404 page carries the site's navigation; the favicon is served, also at /favicon.ico."""

import pytest
from django.contrib.staticfiles import finders

from annotations.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_404_page_has_the_navigation_and_log_out(client):
    client.force_login(UserFactory(role=Role.ANALYST))
    response = client.get("/papers/no-such-paper/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'class="site-header"' in page
    assert 'href="/papers/"' in page
    assert "Log out" in page


def test_favicon_ico_redirects_to_the_static_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("annotations/favicon.svg")
    assert finders.find("annotations/favicon.svg")
