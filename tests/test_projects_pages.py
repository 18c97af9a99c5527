"""The projects pages: your projects and a new one, a project's home, members and settings."""

import re

import pytest
from django.test import Client, override_settings

from annotations.models import Paper
from projects.models import Membership, Project, ProjectRole
from tests.factories import PASSWORD, AuthorFactory, MembershipFactory, PaperFactory, ProjectFactory, UserFactory
from tests.html_check import live_injections, parse

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def owner(db):
    return UserFactory(username="olga")


@pytest.fixture
def project(owner):
    project = ProjectFactory(slug="arctic", name="Arctic council", description="Papers on the Arctic.")
    MembershipFactory(project=project, user=owner, role=ProjectRole.OWNER)
    return project


def test_a_new_user_creates_a_project_from_the_page():
    client = signed_in(UserFactory(username="nina"))
    page = client.get("/projects/").content.decode()
    assert "You are not a member of any project yet." in page
    assert "data-new-project" in page
    response = client.post("/projects/", {"slug": "ice", "name": "Ice", "description": ""}, follow=True)
    assert response.redirect_chain[-1][0] == "/projects/ice/"
    assert "Project Ice created: you are its owner." in response.content.decode()
    assert Membership.objects.get(project__slug="ice").role == ProjectRole.OWNER


def test_the_new_project_form_shows_the_refusals(project):
    client = signed_in(UserFactory(username="nina"))
    html = client.post("/projects/", {"slug": "arctic", "name": "Again"}).content.decode()
    assert "A project &quot;arctic&quot; already exists: choose another slug." in html
    with override_settings(PROJECT_CREATION="staff"):
        html = client.get("/projects/").content.decode()
        assert "On this site only staff create projects." in html
        html = client.post("/projects/", {"slug": "mine", "name": "Mine"}).content.decode()
        assert "only staff can create projects" in html
    assert not Project.objects.filter(slug="mine").exists()


def test_the_home_lists_papers_links_the_reader_and_the_other_pages(project, owner):
    PaperFactory(project=project, slug="ice-2020", title="Ice")
    PaperFactory(slug="elsewhere", title="Not here")
    html = signed_in(owner).get("/projects/arctic/").content.decode()
    assert 'href="/papers/ice-2020/"' in html
    assert "Not here" not in html
    for path in ("/projects/arctic/codebook/", "/projects/arctic/papers/new/", "/map/?project=arctic",
                 "/compare/?project=arctic", "/projects/arctic/members/", "/projects/arctic/settings/",
                 "/papers/ice-2020/edit/", "/api/v1/projects/arctic/export/"):  # fmt: skip
        assert f'href="{path}"' in html, path


def test_a_reader_sees_no_owner_links(project):
    reader = UserFactory(username="rita")
    MembershipFactory(project=project, user=reader, role=ProjectRole.READER)
    html = signed_in(reader).get("/projects/arctic/").content.decode()
    assert "/projects/arctic/settings/" not in html
    assert "/papers/new/" not in html
    members = signed_in(reader).get("/projects/arctic/members/").content.decode()
    assert "data-add-member" not in members
    assert "Leave this project" in members
    assert signed_in(reader).get("/projects/arctic/settings/").status_code == 403


def test_a_non_member_gets_404_on_every_project_page(project):
    client = signed_in(UserFactory(username="sam"))
    for path in ("/projects/arctic/", "/projects/arctic/members/", "/projects/arctic/settings/"):
        assert client.get(path).status_code == 404, path
    for path in ("/projects/arctic/members/olga/role/", "/projects/arctic/members/olga/remove/",
                 "/projects/arctic/settings/archive/"):  # fmt: skip
        assert client.post(path, {"role": "reader", "archived": "true"}).status_code == 404, path
    assert Membership.objects.get(project=project, user__username="olga").role == ProjectRole.OWNER


def test_an_anonymous_visitor_goes_to_the_login_page(project):
    response = Client().get("/projects/arctic/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_owners_add_change_and_remove_members_from_the_page(project, owner):
    UserFactory(username="bo", email="bo@example.org")
    client = signed_in(owner)
    added = client.post("/projects/arctic/members/", {"who": "bo@example.org", "role": "analyst"}, follow=True)
    assert "bo is now a member (analyst)." in added.content.decode()
    changed = client.post("/projects/arctic/members/bo/role/", {"role": "moderator"}, follow=True)
    assert "bo is now moderator." in changed.content.decode()
    last = client.post("/projects/arctic/members/olga/role/", {"role": "reader"}, follow=True).content.decode()
    assert "olga is the last owner of this project: make another member owner first." in last
    unknown = client.post("/projects/arctic/members/", {"who": "ghost", "role": "reader"}).content.decode()
    assert "No account has the username &quot;ghost&quot;." in unknown
    removed = client.post("/projects/arctic/members/bo/remove/", follow=True).content.decode()
    assert "bo is no longer a member." in removed
    history = re.search(r'<ol class="history" data-history>(.*?)</ol>', removed, re.S)[1]
    assert "removed bo" in history
    assert "role changed bo" in history
    assert "added bo" in history


def test_a_member_leaves_from_the_page_and_lands_on_their_projects(project):
    reader = UserFactory(username="rita")
    MembershipFactory(project=project, user=reader, role=ProjectRole.READER)
    response = signed_in(reader).post("/projects/arctic/members/rita/remove/", follow=True)
    assert response.redirect_chain[-1][0] == "/projects/"
    assert "You left Arctic council." in response.content.decode()
    assert not Membership.objects.filter(project=project, user=reader).exists()


def test_a_reader_cannot_change_members_from_the_page(project):
    reader = UserFactory(username="rita")
    MembershipFactory(project=project, user=reader, role=ProjectRole.READER)
    client = signed_in(reader)
    response = client.post("/projects/arctic/members/olga/role/", {"role": "reader"}, follow=True)
    assert "Only the project&#x27;s owners can manage its members and settings." in response.content.decode()
    assert Membership.objects.get(project=project, user__username="olga").role == ProjectRole.OWNER


def test_settings_rename_and_archive(project, owner):
    client = signed_in(owner)
    saved = client.post("/projects/arctic/settings/", {"name": "Arctic", "description": "New"}, follow=True)
    assert "Settings saved." in saved.content.decode()
    archived = client.post("/projects/arctic/settings/archive/", {"archived": "true"}, follow=True).content.decode()
    assert "The project is archived: read-only." in archived
    assert "Unarchive the project" in archived
    assert Project.objects.get(slug="arctic").archived
    client.post("/projects/arctic/settings/archive/", {"archived": "false"})
    assert not Project.objects.get(slug="arctic").archived


@pytest.mark.parametrize("count", [1, 10])
def test_the_projects_page_costs_the_same_queries_with_1_and_10_projects(count, django_assert_num_queries):
    user = UserFactory(username="many")
    for n in range(count):
        project = ProjectFactory(slug=f"p-{n}")
        MembershipFactory(project=project, user=user, role=ProjectRole.ANALYST)
        PaperFactory(project=project)
    client = signed_in(user)
    # session, user, memberships (with their projects: the nav's roles and switcher), projects with counts
    with django_assert_num_queries(4):
        assert client.get("/projects/").status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_the_members_page_costs_the_same_queries_with_1_and_10_members(count, django_assert_num_queries):
    project = ProjectFactory(slug="arctic")
    owner = UserFactory(username="olga")
    MembershipFactory(project=project, user=owner, role=ProjectRole.OWNER)
    for n in range(count):
        MembershipFactory(project=project, user=UserFactory(username=f"m{n}"), role=ProjectRole.ANALYST)
        other = ProjectFactory(slug=f"p-{n}")
        MembershipFactory(project=other, user=owner, role=ProjectRole.READER)
    client = signed_in(owner)
    # session, user, memberships (with their projects: the project, the nav's roles), members, the history
    # (project rows, membership rows, usernames), the moderation badge's count
    with django_assert_num_queries(11):  # the audit trail reads rounds, assignments and curation decisions too
        assert client.get("/projects/arctic/members/").status_code == 200


HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>\"' javascript:alert(3)"


def test_what_users_type_is_shown_as_text_on_every_page():
    owner = UserFactory(username="olga", role=ProjectRole.READER)  # a role in the default project: /papers/ pages
    project = ProjectFactory(slug="hostile", name=HOSTILE, description=HOSTILE)
    MembershipFactory(project=project, user=owner, role=ProjectRole.OWNER)
    MembershipFactory(project=project, user=UserFactory(username="x", first_name=HOSTILE), role=ProjectRole.READER)
    author = AuthorFactory(project=project, name=HOSTILE, affiliation=HOSTILE)
    PaperFactory(project=project, slug="hostile-paper", title=HOSTILE, venue=HOSTILE, authors=[author])
    Paper.history.filter(title=HOSTILE).update(history_change_reason=HOSTILE)
    client = signed_in(owner)
    for path in ("/projects/", "/projects/hostile/", "/projects/hostile/members/", "/projects/hostile/settings/",
                 "/accounts/profile/", "/papers/hostile-paper/edit/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        assert live_injections(html) == [], path
        assert HOSTILE[:17] in parse(html).text or HOSTILE in html.replace("&lt;", "<"), path


def test_a_new_user_refused_a_page_is_pointed_to_their_projects():
    response = signed_in(UserFactory(username="nina")).get("/papers/")
    assert response.status_code == 403
    assert "Your projects</a>: start one" in response.content.decode()
    assert 'href="/projects/"' in response.content.decode()


def test_the_admin_shows_a_project_and_its_members_read_only(project, owner):
    staff = UserFactory(username="root", is_superuser=True, is_staff=True)
    client = signed_in(staff)
    page = client.get(f"/admin/projects/project/{project.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert owner.username in body  # the members' inline
    assert 'name="memberships-0-role"' not in body  # shown, not editable
    assert client.get("/admin/projects/membership/add/").status_code == 403
