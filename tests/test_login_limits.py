"""Password spraying: one address trying one password over many usernames is stopped at a per-address limit."""

import pytest
from django.core.cache import cache
from django.test import override_settings

from annotations.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(db):
    return [UserFactory(username=f"user{n}", role=Role.READER) for n in range(12)]


def spray(client, usernames, **extra):
    return [
        client.post("/accounts/login/", {"username": name, "password": "Summer2026!"}, **extra).status_code
        for name in usernames
    ]


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, LOGIN_FAILURE_LIMIT_PER_ADDRESS=8)
def test_one_guess_over_many_usernames_is_stopped_at_the_per_address_limit(client, accounts):
    names = [user.username for user in accounts]
    assert spray(client, names[:7]) == [200] * 7  # one wrong password each: no pair is near its limit
    assert spray(client, names[7:8]) == [429]  # the 8th failure from this address
    # Now the address is locked, whatever the username, even with the right password.
    locked = client.post("/accounts/login/", {"username": names[9], "password": PASSWORD})
    assert locked.status_code == 429
    assert b"Your address has had too many wrong passwords" in locked.content
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    other = client.post("/accounts/login/", {"username": names[9], "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, LOGIN_FAILURE_LIMIT_PER_ADDRESS=8)
def test_logging_in_to_ones_own_account_does_not_clear_the_address_count(client, accounts):
    names = [user.username for user in accounts]
    assert spray(client, names[:6]) == [200] * 6
    assert client.post("/accounts/login/", {"username": names[11], "password": PASSWORD}).status_code == 302
    client.logout()
    assert spray(client, names[6:8]) == [200, 429]


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, LOGIN_FAILURE_LIMIT_PER_ADDRESS=8)
def test_the_admin_login_and_the_token_endpoint_count_towards_the_address_limit(client, api, accounts):
    cache.clear()  # the token endpoint's own throttle
    names = [user.username for user in accounts]
    for name in names[:4]:
        client.post("/admin/login/", {"username": name, "password": "Summer2026!"})
    for name in names[4:7]:
        assert api.post("/api/v1/auth/token/", {"username": name, "password": "x"}, format="json").status_code == 400
    locked = api.post("/api/v1/auth/token/", {"username": names[8], "password": "x"}, format="json")
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("Too many failed log-ins from your address.")


def test_the_per_address_limit_is_higher_than_the_per_username_one(settings):
    assert settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS == 30
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"], "ip_address"]
