"""Accounts in the app: staff create them and hand over an invitation link, deactivate and reactivate them;
everyone changes their password from the nav and sees their projects and roles on their profile."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from accounts import services
from annotations.errors import PermissionDenied, ValidationError
from annotations.models import User
from projects.models import ProjectRole
from tests.factories import PASSWORD, MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-passphrase-7"
ROOT = Path(__file__).resolve().parent.parent


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def staff(db):
    return UserFactory(username="stan", is_staff=True)


def invitation_from(html: str) -> str:
    return re.search(r'<a href="http://testserver(/accounts/invite/[^"]+)" data-invitation-link>', html)[1]


def test_staff_create_an_account_and_the_invitation_lets_its_person_set_a_password_and_log_in(staff):
    page = signed_in(staff).post(
        "/accounts/users/", {"username": "nina", "email": "nina@example.org", "first_name": "Nina", "last_name": ""}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Invitation for nina" in html
    nina = User.objects.get(username="nina")
    assert nina.is_active
    assert not nina.has_usable_password()
    link = invitation_from(html)

    visitor = Client()
    form = visitor.get(link, follow=True)
    assert "Your username is <strong data-username>nina</strong>" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    done = visitor.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Your password is set: log in with it." in done.content.decode()
    assert visitor.login(username="nina", password=NEW_PASSWORD)
    # Used once: the same link no longer works.
    again = Client().get(link, follow=True).content.decode()
    assert "This invitation link is not valid" in again


def test_a_mistyped_invitation_is_refused(staff):
    nina = services.account_create(by=staff, username="nina")
    path = services.invitation_path(nina)
    html = Client().get(path[:-3] + "xx/", follow=True).content.decode()
    assert "This invitation link is not valid" in html


def test_account_creation_refusals_by_name(staff):
    UserFactory(username="nina", email="nina@example.org")
    client = signed_in(staff)
    html = client.post("/accounts/users/", {"username": "Nina"}).content.decode()
    assert "The username &quot;Nina&quot; is taken." in html
    html = client.post("/accounts/users/", {"username": "other", "email": "NINA@example.org"}).content.decode()
    assert "Another account has this e-mail address." in html
    html = client.post("/accounts/users/", {"username": "bad name!"}).content.decode()
    assert "Enter a valid username" in html
    assert not User.objects.filter(username__in=["Nina", "other", "bad name!"]).exists()


def test_only_staff_manage_accounts():
    user = UserFactory(username="ana", role=ProjectRole.ANALYST)
    client = signed_in(user)
    assert client.get("/accounts/users/").status_code == 403
    assert client.post("/accounts/users/", {"username": "x"}).status_code == 403
    assert client.post(f"/accounts/users/{user.pk}/active/", {"active": "false"}).status_code == 403
    assert client.post(f"/accounts/users/{user.pk}/invitation/").status_code == 403
    assert not User.objects.filter(username="x").exists()
    with pytest.raises(PermissionDenied):
        services.account_create(by=user, username="x")


def test_staff_deactivate_and_reactivate_but_not_themselves(staff):
    nina = UserFactory(username="nina")
    client = signed_in(staff)
    done = client.post(f"/accounts/users/{nina.pk}/active/", {"active": "false"}, follow=True).content.decode()
    assert "nina is deactivated." in done
    assert not User.objects.get(pk=nina.pk).is_active
    assert not Client().login(username="nina", password=PASSWORD)
    client.post(f"/accounts/users/{nina.pk}/active/", {"active": "true"})
    assert User.objects.get(pk=nina.pk).is_active
    own = client.post(f"/accounts/users/{staff.pk}/active/", {"active": "false"}, follow=True).content.decode()
    assert "You cannot deactivate your own account." in own
    with pytest.raises(ValidationError):
        services.account_set_active(by=staff, user=staff, active=False)


def test_a_new_invitation_link_for_an_existing_account(staff):
    nina = UserFactory(username="nina")
    html = signed_in(staff).post(f"/accounts/users/{nina.pk}/invitation/").content.decode()
    assert invitation_from(html).startswith("/accounts/invite/")


def test_the_change_password_link_is_on_every_page(staff):
    project = ProjectFactory(slug="arctic")
    MembershipFactory(project=project, user=staff, role=ProjectRole.OWNER)
    client = signed_in(staff)
    pages = ["/projects/", "/projects/arctic/", "/projects/arctic/members/", "/projects/arctic/settings/",
             "/accounts/profile/", "/accounts/users/", "/accounts/password/"]  # fmt: skip
    for path in pages:
        html = client.get(path).content.decode()
        assert '<a href="/accounts/password/" data-change-password>Change password</a>' in html, path
        assert 'href="/accounts/profile/"' in html, path


def test_changing_the_password(staff):
    client = signed_in(staff)
    wrong = client.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    ).content.decode()
    assert "Your old password was entered incorrectly" in wrong
    done = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == "/accounts/profile/"
    assert "Your password is changed." in done.content.decode()
    assert Client().login(username="stan", password=NEW_PASSWORD)


def test_the_profile_lists_projects_and_roles():
    user = UserFactory(username="mia")
    for slug, role in (("arctic", ProjectRole.OWNER), ("baltic", ProjectRole.READER)):
        MembershipFactory(project=ProjectFactory(slug=slug), user=user, role=role)
    ProjectFactory(slug="hidden")
    html = signed_in(user).get("/accounts/profile/").content.decode()
    rows = re.findall(r'<tr data-project="([^"]+)">.*?<td data-role>(\w+)</td>', html, re.S)
    assert rows == [("arctic", "owner"), ("baltic", "reader")]


def test_the_change_password_link_is_on_the_annotation_pages_too():
    mod = UserFactory(username="mo", role=ProjectRole.MODERATOR)
    client = signed_in(mod)
    for path in ("/papers/", "/map/", "/compare/", "/moderation/"):
        html = client.get(path).content.decode()
        assert '<a href="/accounts/password/" data-change-password>Change password</a>' in html, path


def test_an_unknown_project_creation_setting_is_refused():
    env = {**os.environ, "DJANGO_PROJECT_CREATION": "everyone", "DJANGO_SETTINGS_MODULE": "sco_claims.settings"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "DJANGO_PROJECT_CREATION must be anyone or staff, not 'everyone'" in result.stderr
