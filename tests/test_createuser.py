"""manage.py createuser: roles as groups, --noinput from DJANGO_USER_PASSWORD, clear refusals."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from annotations import roles
from annotations.models import User

pytestmark = pytest.mark.django_db
GOOD = "correct-horse-battery-staple"


@pytest.mark.parametrize(
    ("role", "annotate", "moderate"), [("reader", False, False), ("analyst", True, False), ("moderator", True, True)]
)
def test_creates_a_user_with_each_role(monkeypatch, role, annotate, moderate):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", GOOD)
    out = StringIO()
    call_command("createuser", "alice", "--role", role, "--noinput", stdout=out)
    user = User.objects.get(username="alice")
    assert user.check_password(GOOD)
    assert user.role == role
    assert roles.can_read(user)
    assert roles.can_annotate(user) is annotate
    assert roles.can_moderate(user) is moderate
    assert user.is_staff is moderate
    assert f"role {role}" in out.getvalue()


def test_noinput_without_password_is_refused(monkeypatch):
    monkeypatch.delenv("DJANGO_USER_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="DJANGO_USER_PASSWORD"):
        call_command("createuser", "bob", "--role", "analyst", "--noinput")
    assert not User.objects.filter(username="bob").exists()


def test_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("createuser", "bob", "--role", "analyst", "--noinput")


def test_existing_user_needs_update(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", GOOD)
    call_command("createuser", "carol", "--role", "reader", "--noinput", stdout=StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("createuser", "carol", "--role", "analyst", "--noinput")
    call_command("createuser", "carol", "--role", "moderator", "--noinput", "--update", stdout=StringIO())
    assert User.objects.get(username="carol").role == "moderator"


def test_unknown_role_is_refused():
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("createuser", "dave", "--role", "admin", "--noinput")


def test_interactive_password_prompt(monkeypatch):
    answers = iter([GOOD, GOOD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    call_command("createuser", "erin", "--role", "analyst", stdout=StringIO())
    assert User.objects.get(username="erin").check_password(GOOD)


@pytest.mark.parametrize("username", ["ana smith", "ana/../x", "<b>ana</b>", "ana\tx", "a" * 151, "ana!"])
def test_a_username_djangos_validator_refuses_is_refused(monkeypatch, username):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", GOOD)
    with pytest.raises(CommandError, match="username") as refused:
        call_command("createuser", username, "--role", "reader", "--noinput")
    assert "letters, numbers" in str(refused.value) or "at most 150" in str(refused.value)
    assert not User.objects.exists()


def test_a_unicode_username_django_accepts_is_accepted(monkeypatch):
    monkeypatch.setenv("DJANGO_USER_PASSWORD", GOOD)
    call_command("createuser", "增田.m-ana_2@x+y", "--role", "reader", "--noinput", stdout=StringIO())
    assert User.objects.filter(username="增田.m-ana_2@x+y").exists()
