"""The migration to a stance per tag: every existing tag, and every tag of the history, takes its claim's stance."""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("annotations", "0006_history_action_reanchored")]
AFTER = [("annotations", "0007_coding_stance_per_tag")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_tags_and_their_history_take_the_claims_stance():
    old = migrate(BEFORE)
    try:
        User, Paper, Tag, Claim = (old.get_model("annotations", name) for name in ("User", "Paper", "Tag", "Claim"))
        HistoricalClaim = old.get_model("annotations", "HistoricalClaim")
        HistoricalTags = old.get_model("annotations", "HistoricalClaim_tags")
        user = User.objects.create(username="ana")
        paper = Paper.objects.create(slug="p", title="P", text="The SCO is not an alliance.", text_sha256="x")
        anti_us, enlargement = Tag.objects.create(slug="anti-us", name="A"), Tag.objects.create(slug="e", name="E")
        claims = {}
        for stance in ("affirms", "denies", "qualifies"):
            claim = Claim.objects.create(
                id=uuid.uuid4(), paper=paper, start=0, end=7, exact="The SCO", statement=stance, stance=stance,
                created_by=user,
            )  # fmt: skip
            claim.tags.set([anti_us, enlargement])
            claims[stance] = claim
        untagged = Claim.objects.create(
            id=uuid.uuid4(), paper=paper, start=0, end=7, exact="The SCO", statement="-", created_by=user
        )
        # An earlier state of the denying claim, when it still affirmed: its history keeps what it was then.
        denying = claims["denies"]
        history = {}
        for stance in ("affirms", "denies"):
            row = HistoricalClaim.objects.create(
                id=denying.pk, paper_id=paper.pk, start=0, end=7, exact="The SCO", statement="s", stance=stance,
                created_by_id=user.pk, created_at=timezone.now(), updated_at=timezone.now(),
                history_date=timezone.now(), history_type="~", history_action="edited",
            )  # fmt: skip
            HistoricalTags.objects.create(id=1, history=row, claim_id=denying.pk, tag_id=anti_us.pk)
            history[stance] = row.history_id

        new = migrate(AFTER)
        Coding = new.get_model("annotations", "Coding")
        stored = set(Coding.objects.values_list("claim_id", "tag__slug", "stance"))
        assert stored == {
            (claim.pk, slug, stance) for stance, claim in claims.items() for slug in ("anti-us", "e")
        }  # fmt: skip
        assert not Coding.objects.filter(claim_id=untagged.pk).exists()
        HistoricalCoding = new.get_model("annotations", "HistoricalCoding")
        rows = HistoricalCoding.objects.values_list("history_id", "tag_id", "stance")
        assert set(rows) == {(history["affirms"], anti_us.pk, "affirms"), (history["denies"], anti_us.pk, "denies")}
        # The tags are still read through claim.tags.
        NewClaim = new.get_model("annotations", "Claim")
        assert sorted(NewClaim.objects.get(pk=denying.pk).tags.values_list("slug", flat=True)) == ["anti-us", "e"]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
