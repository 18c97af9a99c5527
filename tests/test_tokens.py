"""API tokens: they expire TOKEN_TTL after their last use (sliding) and die with the password they came from."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.conftest import Api
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-77"


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()  # these tests ask for tokens often; the token endpoint's throttle counts per address


def token_of(api, user) -> str:
    r = api.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert r.status_code == 200
    return r.json()["token"]


def age(key: str, days: float) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=days))


def get_with(key: str, path: str = "/api/v1/claims/"):
    return Api(HTTP_AUTHORIZATION=f"Token {key}").get(path)


def test_a_token_past_its_lifetime_is_refused_with_401_saying_so(api, reader, settings):
    settings.TOKEN_TTL = timedelta(days=30)
    key = token_of(api, reader)
    age(key, 30.01)
    r = get_with(key)
    assert r.status_code == 401
    assert "expired" in r.json()["detail"]
    assert r.json()["detail"] == "The token has expired: get a new one with POST /api/v1/auth/token/."


def test_asking_again_after_expiry_gives_a_new_working_token(api, reader):
    old = token_of(api, reader)
    age(old, 31)
    new = token_of(api, reader)
    assert new != old
    assert get_with(new).status_code == 200
    assert get_with(old).status_code == 401


def test_each_use_slides_the_expiry(api, reader, settings):
    settings.TOKEN_TTL = timedelta(days=30)
    key = token_of(api, reader)
    age(key, 29)
    assert get_with(key).status_code == 200
    refreshed = Token.objects.get(key=key).created
    assert timezone.now() - refreshed < timedelta(minutes=1)  # the use moved it forward
    age(key, 20)
    assert get_with(key).status_code == 200  # 20 days after its last use: still alive


def test_a_young_token_is_not_written_on_every_request(api, reader):
    key = token_of(api, reader)
    age(key, 1)  # under a tenth of 30 days
    before = Token.objects.get(key=key).created
    assert get_with(key).status_code == 200
    assert Token.objects.get(key=key).created == before


def test_a_short_lifetime_from_the_setting(api, reader, settings):
    settings.TOKEN_TTL = timedelta(hours=1)
    key = token_of(api, reader)
    age(key, 1 / 24 + 0.001)
    assert get_with(key).status_code == 401


def test_changing_the_password_deletes_the_token(api, reader):
    key = token_of(api, reader)
    reader.set_password(NEW_PASSWORD)
    reader.save()
    assert not Token.objects.filter(user=reader).exists()
    assert get_with(key).status_code == 401


def test_the_password_change_page_deletes_the_token(api, reader):
    key = token_of(api, reader)
    client = Client()
    client.force_login(reader)
    r = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert r.status_code == 302
    assert get_with(key).status_code == 401


def test_createuser_update_deletes_the_token(api, reader, monkeypatch):
    key = token_of(api, reader)
    monkeypatch.setenv("DJANGO_USER_PASSWORD", NEW_PASSWORD)
    call_command("createuser", reader.username, "--role", "reader", "--update", "--noinput")
    assert get_with(key).status_code == 401


def test_saving_a_user_without_a_new_password_keeps_the_token(api, reader):
    key = token_of(api, reader)
    reader.first_name = "Rita"
    reader.save()
    reader.save(update_fields=["last_login"])
    assert get_with(key).status_code == 200
