"""Curating one claim in a real browser, from the keyboard: the merge form takes the quote of one analyst and the
statement of the other, and the page comes back at the unit with the decision shown."""

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, Role, Status
from curation.models import Curation
from tests.factories import ClaimFactory, PaperFactory, TagFactory, UserFactory

from .conftest import sign_in
from .test_accessibility import AXE, assert_no_serious_violation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_moderator_merges_two_versions_from_the_keyboard(page):
    UserFactory(username="mo", role=Role.MODERATOR)
    ana = UserFactory(username="ana", role=Role.ANALYST)
    otto = UserFactory(username="otto", role=Role.ANALYST)
    paper = PaperFactory(slug="masuda-2010")
    tag = TagFactory(slug="not-an-alliance")
    first = ClaimFactory(paper=paper, created_by=ana, at=(0, 27), statement="Ana's reading.", tags=[tag])
    second = ClaimFactory(paper=paper, created_by=otto, at=(0, 26), statement="Otto's reading.")

    page.context.add_init_script(path=str(AXE))
    sign_in(page, "mo")
    page.goto(f"/projects/{paper.project.slug}/papers/masuda-2010/curate/")
    unit = page.locator("[data-unit]")
    expect(unit).to_have_count(1)
    expect(unit.locator("article")).to_have_count(2)

    summary = unit.locator("[data-merge-panel] summary")
    summary.focus()
    page.keyboard.press("Enter")  # opens the merge form
    form = unit.locator("form[data-decide=merge]")
    expect(form).to_be_visible()
    assert_no_serious_violation(page, "curation with the merge form open")
    # Statement from otto: focus the radio and choose it with the keyboard.
    form.locator(f"input[name=statement][value='{second.pk}']").focus()
    page.keyboard.press("Space")
    form.locator("button[type=submit]").focus()
    page.keyboard.press("Enter")

    expect(page.locator("[data-decision]")).to_contain_text("Merge by mo")
    curation = Curation.objects.get()
    made = curation.result
    assert (made.exact, made.statement, made.status) == ("The SCO is not an alliance.", "Otto's reading.", "approved")
    assert curation.sources["quote"] == str(first.pk)
    assert curation.sources["statement"] == str(second.pk)
    assert {c.status for c in Claim.objects.filter(pk__in=[first.pk, second.pk])} == {Status.REJECTED}
    # The page came back at the unit, which now offers no decision.
    expect(page.locator("[data-unit] [data-accept]")).to_have_count(0)
