"""The codebook page of a project: who sees it, who may edit it, and what it costs in queries."""

import pytest

from annotations.models import Role, Status, TagStatus
from projects.models import ProjectRole, default_project
from tests.factories import (
    ClaimFactory,
    MembershipFactory,
    PaperFactory,
    ProjectFactory,
    TagFactory,
    UserFactory,
)

URL = "/projects/{}/codebook/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def project(db):
    return default_project()


def page(client, user, project):
    client.force_login(user)
    return client.get(URL.format(project.slug))


@pytest.mark.parametrize(
    ("role", "edits", "proposes"),
    [
        (Role.READER, False, False),
        (Role.ANALYST, False, True),
        (Role.MODERATOR, True, False),
    ],
)
def test_each_role_sees_the_codebook_and_only_moderators_get_its_editing(client, project, role, edits, proposes):
    parent = TagFactory(slug="security", name="Security", description="All <b>security</b> talk")
    TagFactory(slug="terrorism", parent=parent, colour="#aa0000")
    user = UserFactory(username=f"u-{role}", role=role)
    r = page(client, user, project)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'data-tag="security"' in html
    assert 'data-tag="terrorism"' in html
    assert "All &lt;b&gt;security&lt;/b&gt; talk" in html  # escaped, never markup
    assert ('data-act="merge"' in html) is edits
    assert ("data-can-edit" in html) is edits
    assert ("data-can-propose" in html) is proposes
    assert ("data-import-form" in html) is edits


def test_a_non_member_gets_404_and_an_anonymous_visitor_the_login_page(client, project):
    other = ProjectFactory(slug="secret")
    outsider = UserFactory(username="outsider", role=Role.ANALYST)
    client.force_login(outsider)
    assert client.get(URL.format(other.slug)).status_code == 404
    assert client.get(URL.format("no-such-project")).status_code == 404
    client.logout()
    r = client.get(URL.format(project.slug))
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_a_project_member_sees_that_projects_tags_only(client):
    mine, theirs = ProjectFactory(slug="mine"), ProjectFactory(slug="theirs")
    user = UserFactory(username="member", role=Role.READER)  # of the default project; moderator of `mine`
    MembershipFactory(project=mine, user=user, role=ProjectRole.MODERATOR)
    TagFactory(project=mine, slug="ours")
    TagFactory(project=theirs, slug="not-ours")
    html = page(client, user, mine).content.decode()
    assert 'data-tag="ours"' in html
    assert "not-ours" not in html


def test_an_archived_projects_codebook_is_read_only(client):
    archived = ProjectFactory(slug="old", archived=True)
    user = UserFactory(username="owner", role=Role.READER)
    MembershipFactory(project=archived, user=user, role=ProjectRole.OWNER)
    TagFactory(project=archived, slug="kept")
    html = page(client, user, archived).content.decode()
    assert 'data-tag="kept"' in html
    assert "data-can-edit" not in html
    assert "data-tag-form" not in html


def test_counts_are_the_claims_the_user_may_see(client, project):
    tag = TagFactory(slug="counted")
    paper = PaperFactory()
    analyst = UserFactory(username="ana", role=Role.ANALYST)
    ClaimFactory(paper=paper, at=(0, 10), tags=[tag], status=Status.APPROVED)
    ClaimFactory(paper=paper, at=(11, 20), tags=[tag], status=Status.PENDING)  # someone else's, pending
    ClaimFactory(paper=paper, at=(21, 30), tags=[tag], status=Status.PENDING, created_by=analyst)
    reader = UserFactory(username="rita", role=Role.READER)
    moderator = UserFactory(username="mo", role=Role.MODERATOR)

    def count(user):
        r = page(client, user, project)
        return next(e.claims for e in r.context["entries"] if e.tag.slug == "counted")

    assert (count(reader), count(analyst), count(moderator)) == (1, 2, 3)


def test_another_analysts_proposal_is_hidden_and_ones_own_shown_marked(client, project):
    ana = UserFactory(username="ana", role=Role.ANALYST)
    otto = UserFactory(username="otto", role=Role.ANALYST)
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    TagFactory(slug="anas-idea", status=TagStatus.PROPOSED, proposed_by=ana)
    assert "data-proposed" in page(client, ana, project).content.decode()
    assert "anas-idea" not in page(client, otto, project).content.decode()
    html = page(client, moderator, project).content.decode()
    assert "proposed by ana" in html
    assert 'data-act="accept"' in html


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_codebook(client, project, django_assert_num_queries):
    moderator = UserFactory(username="mo", role=Role.MODERATOR)
    paper = PaperFactory()

    def grow(n: int) -> None:
        for i in range(n):
            parent = TagFactory(slug=f"p{i}-{TagFactory._meta.model.objects.count()}")
            child = TagFactory(slug=f"{parent.slug}-child", parent=parent)
            ClaimFactory(paper=paper, at=(i % 50, i % 50 + 5), tags=[parent, child], created_by=moderator,
                         statement=f"s{parent.slug}")  # fmt: skip

    client.force_login(moderator)
    grow(2)
    client.get(URL.format(project.slug))  # warm: the session, content types
    # session (1), user (1), memberships with their projects (1), tags with counts (1), history rows (1) and
    # slugs (1), the header's moderation badge (count; the role comes from the memberships already read)
    with django_assert_num_queries(7) as small:
        assert client.get(URL.format(project.slug)).status_code == 200
    grow(10)
    with django_assert_num_queries(len(small)):
        assert client.get(URL.format(project.slug)).status_code == 200


def test_the_readers_link_leads_to_its_projects_codebook(client, project):
    paper = PaperFactory(slug="masuda-2010")
    client.force_login(UserFactory(username="ana", role=Role.ANALYST))
    r = client.get(f"/papers/{paper.slug}/codebook/")
    assert r.status_code == 302
    assert r["Location"] == f"/projects/{project.slug}/codebook/#propose"
    elsewhere = PaperFactory(slug="elsewhere", project=ProjectFactory(slug="closed"))
    assert client.get(f"/papers/{elsewhere.slug}/codebook/").status_code == 404  # not a member: nothing said
