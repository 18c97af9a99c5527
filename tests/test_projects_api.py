"""The projects API: create, list with roles, settings, archive, members, the audit trail, and each refusal."""

import io
import json
import zipfile

import pytest
from django.test import override_settings

from annotations.models import Status
from projects.models import Membership, Project, ProjectHistoryAction, ProjectRole
from projects.services import OWNERS_ONLY
from tests.conftest import Api
from tests.factories import (
    ClaimFactory,
    LinkFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"


@pytest.fixture
def owner(db):
    return UserFactory(username="olga", email="olga@example.org")


@pytest.fixture
def project(owner):
    project = ProjectFactory(slug="arctic", name="Arctic council")
    MembershipFactory(project=project, user=owner, role=ProjectRole.OWNER)
    return project


def member(project, username, role, **extra):
    user = UserFactory(username=username, **extra)
    MembershipFactory(project=project, user=user, role=role)
    return user


def as_user(user) -> Api:
    return Api().as_user(user)


# --- Create and list ---


def test_any_signed_in_user_creates_a_project_and_owns_it():
    newcomer = UserFactory(username="nina")  # no role anywhere yet
    response = as_user(newcomer).post(
        PROJECTS, {"slug": "my-corpus", "name": "My corpus", "description": "Papers on X."}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["slug"], body["name"], body["role"], body["members"], body["papers"]) == (
        "my-corpus", "My corpus", "owner", 1, 0,
    )  # fmt: skip
    assert body["created_by"] == "nina"
    assert Membership.objects.get(project__slug="my-corpus", user=newcomer).role == ProjectRole.OWNER
    rows = Project.history.filter(slug="my-corpus")
    assert [(row.history_action, row.history_user) for row in rows] == [(ProjectHistoryAction.CREATED, newcomer)]


def test_an_anonymous_visitor_is_refused():
    assert Api().get(PROJECTS).status_code == 401
    assert Api().post(PROJECTS, {"slug": "x", "name": "X"}, format="json").status_code == 401


def test_a_duplicate_slug_is_refused_by_name(project):
    response = as_user(UserFactory(username="nina")).post(PROJECTS, {"slug": "arctic", "name": "Other"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"slug": ['A project "arctic" already exists: choose another slug.']}
    assert Project.objects.filter(slug="arctic").count() == 1


def test_a_bad_slug_and_a_missing_name_are_refused():
    response = as_user(UserFactory()).post(PROJECTS, {"slug": "not a slug"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"slug", "name"}


@override_settings(PROJECT_CREATION="staff")
def test_creation_can_be_kept_to_staff():
    response = as_user(UserFactory(username="nina")).post(PROJECTS, {"slug": "x", "name": "X"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "On this site only staff can create projects: ask a staff member."
    assert not Project.objects.filter(slug="x").exists()
    staff = UserFactory(username="stan", is_staff=True)
    assert as_user(staff).post(PROJECTS, {"slug": "x", "name": "X"}, format="json").status_code == 201


def test_the_list_holds_the_users_projects_with_their_role(project, owner):
    other = ProjectFactory(slug="other")
    MembershipFactory(project=other, user=owner, role=ProjectRole.READER)
    ProjectFactory(slug="hidden")
    PaperFactory(project=project)
    body = as_user(owner).get(PROJECTS).json()
    assert [(p["slug"], p["role"], p["papers"]) for p in body] == [("arctic", "owner", 1), ("other", "reader", 0)]
    assert body[0]["actions"] == ["update", "archive", "manage_members", "export"]
    assert body[1]["actions"] == []


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_costs_the_same_queries_with_1_and_10_projects(count, django_assert_num_queries):
    user = UserFactory(username="many")
    for n in range(count):
        project = ProjectFactory(slug=f"p-{n}")
        MembershipFactory(project=project, user=user, role=ProjectRole.ANALYST)
        PaperFactory(project=project)
    api = as_user(user)
    # the token (with its user), the user's memberships, the projects with their counts
    with django_assert_num_queries(3):
        assert len(api.get(PROJECTS).json()) == count


# --- One project: a non-member gets 404 everywhere ---


def test_a_non_member_gets_404_on_every_project_url(project):
    stranger = as_user(UserFactory(username="sam"))
    urls = [
        ("get", f"{PROJECTS}arctic/", None),
        ("patch", f"{PROJECTS}arctic/", {"name": "Mine"}),
        ("post", f"{PROJECTS}arctic/archive/", None),
        ("post", f"{PROJECTS}arctic/unarchive/", None),
        ("get", f"{PROJECTS}arctic/history/", None),
        ("get", f"{PROJECTS}arctic/export/", None),
        ("get", f"{PROJECTS}arctic/members/", None),
        ("post", f"{PROJECTS}arctic/members/", {"username": "sam", "role": "owner"}),
        ("get", f"{PROJECTS}arctic/members/olga/", None),
        ("patch", f"{PROJECTS}arctic/members/olga/", {"role": "reader"}),
        ("delete", f"{PROJECTS}arctic/members/olga/", None),
    ]
    for method, url, data in urls:
        response = getattr(stranger, method)(url, data, format="json")
        assert response.status_code == 404, (method, url)
        assert response.json() == {"detail": "Not found."}
    missing = stranger.get(f"{PROJECTS}no-such-project/")
    assert missing.status_code == 404
    assert Project.objects.get(slug="arctic").name == "Arctic council"


def test_owners_rename_and_describe(project, owner):
    response = as_user(owner).patch(f"{PROJECTS}arctic/", {"name": "Arctic", "description": "New."}, format="json")
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["description"]) == ("Arctic", "New.")
    row = Project.history.filter(id=project.pk).latest()
    assert (row.history_action, row.history_user, row.name) == (ProjectHistoryAction.EDITED, owner, "Arctic")


@pytest.mark.parametrize("role", [ProjectRole.READER, ProjectRole.ANALYST, ProjectRole.MODERATOR])
def test_members_below_owner_are_refused_owner_actions(project, role):
    api = as_user(member(project, "mia", role))
    refused = [
        api.patch(f"{PROJECTS}arctic/", {"name": "Mine"}, format="json"),
        api.post(f"{PROJECTS}arctic/archive/"),
        api.post(f"{PROJECTS}arctic/members/", {"username": "olga", "role": "reader"}, format="json"),
        api.patch(f"{PROJECTS}arctic/members/olga/", {"role": "reader"}, format="json"),
        api.delete(f"{PROJECTS}arctic/members/olga/"),
    ]
    for response in refused:
        assert response.status_code == 403
        assert response.json()["detail"] == OWNERS_ONLY
    assert api.get(f"{PROJECTS}arctic/").json()["role"] == role
    assert [m["username"] for m in api.get(f"{PROJECTS}arctic/members/").json()] == ["mia", "olga"]


@pytest.mark.parametrize("role", [ProjectRole.READER, ProjectRole.ANALYST])
def test_readers_and_analysts_may_not_export_or_read_the_history(project, role):
    api = as_user(member(project, "mia", role))
    for url in (f"{PROJECTS}arctic/export/", f"{PROJECTS}arctic/history/"):
        response = api.get(url)
        assert response.status_code == 403
        assert "moderator or above" in response.json()["detail"]


def test_archive_makes_the_project_read_only_until_unarchived(project, owner):
    api = as_user(owner)
    assert api.post(f"{PROJECTS}arctic/archive/").json()["archived"] is True
    assert api.post(f"{PROJECTS}arctic/archive/").json() == {"non_field_errors": ["This project is already archived."]}
    refused = api.patch(f"{PROJECTS}arctic/", {"name": "X"}, format="json")
    assert refused.status_code == 403
    assert "archived" in refused.json()["detail"]
    UserFactory(username="bo")
    assert (
        api.post(f"{PROJECTS}arctic/members/", {"username": "bo", "role": "reader"}, format="json").status_code == 403
    )
    body = api.post(f"{PROJECTS}arctic/unarchive/").json()
    assert (body["archived"], body["actions"]) == (False, ["update", "archive", "manage_members", "export"])
    actions = [row.history_action for row in Project.history.filter(id=project.pk).order_by("history_id")]
    assert actions[-2:] == [ProjectHistoryAction.ARCHIVED, ProjectHistoryAction.UNARCHIVED]


# --- Members ---


def test_owners_add_by_username_or_email_change_roles_and_remove(project, owner):
    UserFactory(username="bo")
    UserFactory(username="cy", email="Cy@Example.org")
    api = as_user(owner)
    added = api.post(f"{PROJECTS}arctic/members/", {"username": "bo", "role": "analyst"}, format="json")
    assert added.status_code == 201
    assert (added.json()["username"], added.json()["role"]) == ("bo", "analyst")
    by_mail = api.post(f"{PROJECTS}arctic/members/", {"email": "cy@example.org", "role": "reader"}, format="json")
    assert by_mail.status_code == 201
    assert by_mail.json()["username"] == "cy"
    changed = api.patch(f"{PROJECTS}arctic/members/bo/", {"role": "moderator"}, format="json")
    assert changed.json()["role"] == "moderator"
    assert api.delete(f"{PROJECTS}arctic/members/cy/").status_code == 204
    assert sorted(Membership.objects.filter(project=project).values_list("user__username", "role")) == [
        ("bo", "moderator"),
        ("olga", "owner"),
    ]


def test_unknown_accounts_and_members_are_refused_by_name(project, owner):
    api = as_user(owner)
    unknown = api.post(f"{PROJECTS}arctic/members/", {"username": "ghost", "role": "reader"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json() == {"username": ['No account has the username "ghost".']}
    no_mail = api.post(f"{PROJECTS}arctic/members/", {"email": "ghost@example.org", "role": "reader"}, format="json")
    assert no_mail.json() == {"email": ['No account has the e-mail address "ghost@example.org".']}
    neither = api.post(f"{PROJECTS}arctic/members/", {"role": "reader"}, format="json")
    assert neither.json() == {"non_field_errors": ["Give either a username or an e-mail address."]}
    bad_role = api.post(f"{PROJECTS}arctic/members/", {"username": "olga", "role": "boss"}, format="json")
    assert set(bad_role.json()) == {"role"}
    twice = api.post(f"{PROJECTS}arctic/members/", {"username": "olga", "role": "reader"}, format="json")
    assert twice.json() == {"username": ["olga is already a member (owner): change their role instead."]}
    assert api.patch(f"{PROJECTS}arctic/members/ghost/", {"role": "reader"}, format="json").status_code == 404
    assert api.delete(f"{PROJECTS}arctic/members/ghost/").status_code == 404


def test_the_last_owner_cannot_be_demoted_or_removed(project, owner):
    api = as_user(owner)
    demoted = api.patch(f"{PROJECTS}arctic/members/olga/", {"role": "moderator"}, format="json")
    assert demoted.status_code == 400
    assert demoted.json() == {"role": ["olga is the last owner of this project: make another member owner first."]}
    removed = api.delete(f"{PROJECTS}arctic/members/olga/")
    assert removed.status_code == 400
    assert removed.json() == {
        "non_field_errors": ["olga is the last owner of this project: make another member owner first."]
    }
    member(project, "bo", ProjectRole.OWNER)
    assert api.patch(f"{PROJECTS}arctic/members/olga/", {"role": "moderator"}, format="json").status_code == 200
    assert Membership.objects.get(project=project, user=owner).role == ProjectRole.MODERATOR


def test_a_member_may_leave(project):
    api = as_user(member(project, "mia", ProjectRole.READER))
    assert api.delete(f"{PROJECTS}arctic/members/mia/").status_code == 204
    assert api.get(f"{PROJECTS}arctic/").status_code == 404


def test_membership_changes_are_in_the_audit_trail_and_survive_the_membership(project, owner):
    bo = UserFactory(username="bo")
    api = as_user(owner)
    api.post(f"{PROJECTS}arctic/members/", {"username": "bo", "role": "analyst"}, format="json")
    api.patch(f"{PROJECTS}arctic/members/bo/", {"role": "moderator"}, format="json")
    api.delete(f"{PROJECTS}arctic/members/bo/")
    assert not Membership.objects.filter(project=project, user=bo).exists()
    rows = Membership.history.filter(project_id=project.pk, user_id=bo.pk).order_by("history_id")
    assert [(row.history_action, row.history_user, row.role) for row in rows] == [
        (ProjectHistoryAction.CREATED, owner, "analyst"),
        (ProjectHistoryAction.EDITED, owner, "moderator"),
        (ProjectHistoryAction.DELETED, owner, "moderator"),
    ]
    entries = api.get(f"{PROJECTS}arctic/history/").json()
    about_bo = [(e["action"], e["by"], e["changes"]["role"]) for e in entries if e["subject"] == "bo"]
    assert about_bo == [
        ("removed", "olga", {"from": "moderator", "to": None}),
        ("role changed", "olga", {"from": "analyst", "to": "moderator"}),
        ("added", "olga", {"from": None, "to": "analyst"}),
    ]
    assert all(entry["at"] for entry in entries)


# --- Export ---


def test_the_whole_project_exports_as_one_zip(project, owner):
    paper = PaperFactory(project=project, slug="arctic-1", title="Ice")
    elsewhere = PaperFactory(slug="elsewhere")
    tag = TagFactory(project=project, slug="ice")
    claim = ClaimFactory(paper=paper, status=Status.APPROVED, tags=[tag], at=(0, 10))
    other = ClaimFactory(paper=paper, status=Status.PENDING, at=(11, 26))
    LinkFactory(source=claim, target=other)
    ClaimFactory(paper=elsewhere)
    response = as_user(owner).get(f"{PROJECTS}arctic/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="arctic.zip"'
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    names = set(archive.namelist())
    assert names == {"claims.json", "codebook.json", "papers/arctic-1.txt", "manifest.json"}
    native = json.loads(archive.read("claims.json"))
    assert [p["slug"] for p in native["papers"]] == ["arctic-1"]
    assert {c["id"] for c in native["claims"]} == {str(claim.pk), str(other.pk)}
    assert len(native["links"]) == 1
    assert [t["slug"] for t in json.loads(archive.read("codebook.json"))["tags"]] == ["ice"]
    assert archive.read("papers/arctic-1.txt").decode() == paper.text
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["project"]["slug"] == "arctic"
    assert manifest["counts"] == {"papers": 1, "claims": 2, "links": 1, "tags": 1}
    assert {f["path"] for f in manifest["files"]} == names - {"manifest.json"}
    assert manifest["members"] == [{"username": "olga", "role": "owner"}]
