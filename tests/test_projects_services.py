"""The project and membership services called directly (as a command or the admin would), and the pure pieces:
the streamed zip and the byline text of the metadata form."""

import hashlib
import io
import json
import threading
import zipfile

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from annotations.errors import PermissionDenied, ValidationError
from projects import access, services
from projects.exporting import zip_stream
from projects.forms import PaperMetadataForm
from projects.models import Membership, Project, ProjectRole
from tests.factories import MembershipFactory, ProjectFactory, UserFactory


@pytest.fixture
def owner(db):
    return UserFactory(username="olga")


@pytest.fixture
def project(owner):
    return services.project_create(by=owner, slug="arctic", name=" Arctic ", description="")


@pytest.mark.django_db
def test_the_creator_owns_the_project_at_once(owner, project):
    assert project.name == "Arctic"
    assert access.role_in(owner, project) == ProjectRole.OWNER  # the roles cached before were forgotten
    assert project.created_by == owner


@pytest.mark.django_db
def test_a_superuser_manages_a_project_without_being_a_member(project):
    root = UserFactory(username="root", is_superuser=True)
    bo = UserFactory(username="bo")
    services.member_add(project=project, by=root, username="bo", role=ProjectRole.OWNER)
    services.member_change_role(project=project, by=root, username="olga", role=ProjectRole.READER)
    assert dict(Membership.objects.filter(project=project).values_list("user__username", "role")) == {
        "bo": "owner",
        "olga": "reader",
    }
    assert access.role_in(bo, project) == ProjectRole.OWNER


@pytest.mark.django_db
def test_accounts_that_cannot_be_added(project, owner):
    UserFactory(username="a1", email="same@example.org")
    UserFactory(username="a2", email="SAME@example.org")
    with pytest.raises(ValidationError) as shared:
        services.member_add(project=project, by=owner, email="same@example.org", role=ProjectRole.READER)
    assert shared.value.message_dict == {"email": ["Several accounts have this e-mail address: give the username."]}
    UserFactory(username="gone", is_active=False)
    with pytest.raises(ValidationError) as gone:
        services.member_add(project=project, by=owner, username="gone", role=ProjectRole.READER)
    assert gone.value.message_dict == {"username": ["The account gone is deactivated."]}
    with pytest.raises(ValidationError) as both:
        services.member_add(project=project, by=owner, username="a1", email="x@y.z", role=ProjectRole.READER)
    assert both.value.message_dict == {"non_field_errors": ["Give either a username or an e-mail address."]}


@pytest.mark.django_db
def test_unknown_fields_and_control_characters_are_refused(project, owner):
    with pytest.raises(ValidationError) as unknown:
        services.project_update(project=project, by=owner, slug="other")
    assert unknown.value.message_dict == {"slug": ["This field cannot be changed."]}
    with pytest.raises(ValidationError) as control:
        services.project_update(project=project, by=owner, name="A\x00B")
    assert set(control.value.message_dict) == {"name"}
    assert Project.objects.get(pk=project.pk).name == "Arctic"


@pytest.mark.django_db
def test_an_outsider_is_refused_by_the_services_too(project):
    outsider = UserFactory(username="sam")
    with pytest.raises(PermissionDenied):
        services.project_archive(project=project, by=outsider)
    with pytest.raises(PermissionDenied):
        services.member_remove(project=project, by=outsider, username="olga")


@pytest.mark.django_db(transaction=True)
def test_two_owners_stepping_down_at_once_leave_one_owner():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes every writer: the race needs PostgreSQL's row locks")
    project = ProjectFactory(slug="race")
    first, second = UserFactory(username="first"), UserFactory(username="second")
    for user in (first, second):
        MembershipFactory(project=project, user=user, role=ProjectRole.OWNER)
    barrier, outcomes = threading.Barrier(2), []

    def step_down(user):
        try:
            barrier.wait()
            services.member_change_role(project=project, by=user, username=user.username, role=ProjectRole.READER)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    assert Membership.objects.filter(project=project, role=ProjectRole.OWNER).count() == 1


# --- Pure pieces ---

# Member names are paper slugs and stored files' names (Django storage keeps them to safe characters).
names = st.from_regex(r"[a-z0-9_-]{1,20}(/[A-Za-z0-9_.-]{1,20})?", fullmatch=True).map(lambda s: f"x/{s}")


@given(st.dictionaries(names, st.lists(st.binary(max_size=300), max_size=4), max_size=5))
def test_the_streamed_zip_holds_every_member_and_a_manifest_of_their_digests(members):
    data = b"".join(zip_stream(members.items(), {"format": "test"}))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    for name, chunks in members.items():
        assert archive.read(name) == b"".join(chunks)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "test"
    assert [(f["path"], f["sha256"]) for f in manifest["files"]] == [
        (name, hashlib.sha256(b"".join(chunks)).hexdigest()) for name, chunks in members.items()
    ]


# What a byline can hold: no separators of the text's lines and fields, and no NUL, which the form refuses (below).
part = st.text(st.characters(blacklist_characters=";\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\x00"), max_size=12).map(
    str.strip
)


@given(st.lists(st.tuples(part.filter(bool), part, part), max_size=5))
def test_the_byline_text_reads_back_as_it_was_written(authors):
    class Byline:
        def __init__(self, name, affiliation, country):
            self.author = type("A", (), {"name": name, "affiliation": affiliation, "country": country})

    paper = type("P", (), {"bylines": type("M", (), {"all": lambda self: [Byline(*a) for a in authors]})()})
    form = PaperMetadataForm(data={"title": "T", "authors": PaperMetadataForm.authors_text(paper)})
    assert form.is_valid(), form.errors
    assert [(a["name"], a["affiliation"], a["country"]) for a in form.cleaned_data["authors"]] == authors


def test_a_byline_with_a_nul_character_is_refused():
    form = PaperMetadataForm(data={"title": "T", "authors": "Pan\x00 Guang"})
    assert not form.is_valid()
    assert form.errors["authors"] == ["Null characters are not allowed."]
