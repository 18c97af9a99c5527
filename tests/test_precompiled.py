"""Hot reads compiled once (annotations/precompiled.py) give exactly what the ORM gives, on both databases."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from annotations.api import authentication
from annotations.models import Claim, Paper, Tag
from annotations.precompiled import Precompiled
from annotations.services import claims as claim_services
from annotations.services import locks
from projects import access
from projects.models import Membership, ProjectRole
from tests.factories import ClaimFactory, MembershipFactory, PaperFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_the_memberships_of_a_user_are_read_with_their_projects_as_the_orm_reads_them(django_assert_num_queries):
    user = UserFactory(username="member")
    for slug, role in (("b-second", ProjectRole.ANALYST), ("a-first", ProjectRole.OWNER)):
        MembershipFactory(project=ProjectFactory(slug=slug, name=slug.upper()), user=user, role=role)
    expected = list(Membership.objects.filter(user=user).select_related("project").order_by("project__name"))
    with django_assert_num_queries(1):
        found = access._memberships_of(user.pk)
        assert [fields(m.project) for m in found] == [fields(m.project) for m in expected]  # no query: in place
    assert [fields(m) for m in found] == [fields(m) for m in expected]
    assert [m.project.name for m in found] == ["A-FIRST", "B-SECOND"]
    assert access._memberships_of.compiled is not None  # compiled, not left to the ORM


def test_a_token_is_read_with_its_user_and_an_unknown_key_finds_nothing():
    user = UserFactory(username="scripted")
    token = Token.objects.create(user=user)
    found = authentication._tokens_with_user(token.key)
    assert [fields(t) for t in found] == [fields(token)]
    assert fields(found[0].user) == fields(Token.objects.select_related("user").get(key=token.key).user)
    assert found[0].created == token.created  # a datetime, through the field's converters, on SQLite too
    assert authentication._tokens_with_user("no-such-key") == []
    assert authentication._tokens_with_user("' OR '1'='1") == []  # values are parameters, never SQL
    assert authentication._tokens_with_user.compiled is not None


def test_the_paper_locked_for_a_claim_is_the_whole_paper():
    paper = PaperFactory()
    with pytest.raises(Paper.DoesNotExist):
        locks._lock_paper(paper.pk + 1000)
    assert fields(locks._lock_paper(paper.pk)) == fields(Paper.objects.get(pk=paper.pk))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    speaker=st.sampled_from(["", "Xi", "O'Brien", 'say "no"', "习近平", "%", "_"]),
    start=st.integers(min_value=0, max_value=40),
    length=st.integers(min_value=1, max_value=5),
)
def test_the_live_twins_of_a_span_are_those_the_orm_finds(speaker, start, length):
    analyst = UserFactory(username=f"twin-{uuid.uuid4().hex[:8]}")
    paper = PaperFactory(slug=f"p-{uuid.uuid4().hex[:8]}")
    made = [ClaimFactory(paper=paper, created_by=analyst, at=(s, s + n)) for s, n in ((start, length), (3, 2))]
    Claim.objects.filter(pk=made[0].pk).update(speaker=speaker)
    rows = claim_services._live_twins(paper.pk, analyst.pk, start, start + length, speaker)
    orm = Claim.objects.filter(
        paper=paper, created_by=analyst, start=start, end=start + length, speaker=speaker, deleted_at__isnull=True
    )
    assert {pk for (pk,) in rows} == set(orm.values_list("pk", flat=True))
    assert made[0].pk in {pk for (pk,) in rows}
    assert claim_services._live_twins.compiled is not None


def test_a_query_whose_stand_ins_cannot_be_told_apart_is_left_to_the_orm():
    paper = PaperFactory()
    # A value that stands twice in the SQL: the query is not one the stand-ins map one to one.
    twice = Precompiled(lambda a: Paper.objects.filter(pk=a) | Paper.objects.filter(project_id=a), 2_147_000_001)
    assert [p.pk for p in twice(paper.pk)] == [paper.pk]
    assert twice.database is not None
    assert twice.compiled is None
    # A stand-in the field turns into another value (an integer for a text column): the ORM runs every call.
    turned = Precompiled(lambda slug: Paper.objects.filter(slug=slug), 2_147_000_001)
    assert [p.pk for p in turned(paper.slug)] == [paper.pk]
    assert turned.database is not None
    assert turned.compiled is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    asked=st.lists(st.sampled_from(["anti-us", "not-an-alliance", "sco", "nothing-here", "x"]), min_size=1, max_size=4),
    projects=st.sampled_from([None, (), (0,), (1,), (0, 1)]),
)
def test_the_tag_candidates_of_slugs_are_those_the_orm_finds(asked, projects):
    from annotations.selectors import codebook
    from tests.factories import TagFactory

    suffix = uuid.uuid4().hex[:6]
    made = [ProjectFactory(slug=f"a-{suffix}"), ProjectFactory(slug=f"b-{suffix}")]
    for project in made:
        for slug in ("anti-us", "not-an-alliance", "sco"):
            TagFactory(project=project, slug=slug)
    ids = None if projects is None else [made[n].pk for n in projects]
    found = codebook.tag_candidates_by_slug(asked, project_ids=ids)
    orm = Tag.objects.filter(slug__in=asked) if ids is None else Tag.objects.filter(slug__in=asked, project_id__in=ids)
    assert {slug: sorted(t.pk for t in tags) for slug, tags in found.items()} == {
        slug: sorted(t.pk for t in orm if t.slug == slug) for slug in {t.slug for t in orm}
    }
    if ids:
        assert codebook._TAGS_OF_SLUGS[(len(asked), len(ids))].compiled is not None
