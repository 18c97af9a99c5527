"""A merge keeps every coding (hypothesis over random codings): each claim coded with either tag before is coded
with the kept tag after, once; a claim that had only the merged tag keeps its stance; one that had both keeps
its stance on the kept tag; no other coding changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from annotations import services
from annotations.models import Claim, Coding, Role, Stance, Tag
from tests.factories import ClaimFactory, PaperFactory, TagFactory, UserFactory

STANCES = st.sampled_from(Stance.values)
# Per claim: its stance (or absence) on the merged tag, the kept tag and a bystander tag.
CLAIM = st.tuples(st.none() | STANCES, st.none() | STANCES, st.none() | STANCES)


class MergeKeepsEveryCoding(TestCase):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(claims=st.lists(CLAIM, max_size=8))
    def test_merge_keeps_every_coding(self, claims):
        moderator = UserFactory(username="mo", role=Role.MODERATOR)
        paper = PaperFactory(text="x" * 200)
        source, into, other = TagFactory(slug="source"), TagFactory(slug="into"), TagFactory(slug="other")
        made = []
        for index, (on_source, on_into, on_other) in enumerate(claims):
            tags = [
                (tag, stance) for tag, stance in ((source, on_source), (into, on_into), (other, on_other)) if stance
            ]
            made.append(ClaimFactory(paper=paper, at=(index * 10, index * 10 + 5), tags=tags, created_by=moderator))
        before = {
            claim.pk: dict(Coding.objects.filter(claim=claim).values_list("tag__slug", "stance")) for claim in made
        }

        report = services.tag_merge(source=source, into=into, by=moderator)

        assert not Tag.objects.filter(slug="source").exists()
        for claim in made:
            old = before[claim.pk]
            now = dict(Coding.objects.filter(claim=claim).values_list("tag__slug", "stance"))
            expected = {slug: stance for slug, stance in old.items() if slug != "source"}
            if "source" in old:
                expected.setdefault("into", old["source"])
            assert now == expected
            if "source" in old:
                assert Claim.objects.get(pk=claim.pk).history.latest().history_action == "retagged"
        moved = sum("source" in old and "into" not in old for old in before.values())
        both = sum("source" in old and "into" in old for old in before.values())
        conflicts = sum("source" in old and "into" in old and old["source"] != old["into"] for old in before.values())
        assert (report.codings_moved, report.codings_dropped, len(report.stance_conflicts)) == (moved, both, conflicts)


@pytest.mark.django_db
def test_a_merge_by_an_analyst_or_into_itself_is_refused(analyst, moderator):
    source, into = TagFactory(slug="a"), TagFactory(slug="b")
    with pytest.raises(services.PermissionDenied):
        services.tag_merge(source=source, into=into, by=analyst)
    with pytest.raises(services.ValidationError):
        services.tag_merge(source=source, into=source, by=moderator)
    assert Tag.objects.count() == 2
