"""The agreement page in the browser: an owner opens it from the project, picks the two analysts who coded
masuda-2010, reads the figures with their explanations, the matrix and the disagreements side by side, follows one
to its passage in the reader, and downloads the report as CSV. Then runs a coding round from the rounds page."""

import pytest

from annotations.models import Claim
from rounds.models import Assignment, CodingRound
from tests.masuda_codings import store_masuda_codings

from .conftest import login

pytestmark = pytest.mark.e2e


def test_an_owner_reads_the_agreement_of_two_analysts(page, live_server):
    world = store_masuda_codings()
    login(page, live_server, world["owner"])
    page.goto("/projects/sco-security-cooperation/")
    page.get_by_role("link", name="Agreement").click()
    page.wait_for_url("**/agreement/")
    form = page.locator("form[data-agreement-form]")
    form.get_by_label("ann").check()
    form.get_by_label("bo").check()
    form.get_by_label("Paper").select_option("masuda-2010")
    form.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/agreement/?*")
    assert "2 analysts (ann, bo), 1 paper, 28 claims" in page.locator("[data-summary]").inner_text()
    unitizing = page.locator('[data-figure="unitizing_alpha"]')
    assert "0.6943" in unitizing.inner_text()
    assert "tell passages that make a claim from the text between them" in unitizing.inner_text()
    stance = page.locator('[data-figure="stance_ac1"]').inner_text()
    assert "0.8285" in stance
    assert "fewer than 10" in stance  # the warning: 7 units
    matrix = page.locator("[data-matrix]").first
    assert matrix.locator("tbody tr").count() == 2
    disagreement = page.locator("[data-disagreements] > li").first
    assert disagreement.locator(".version").count() == 2
    assert disagreement.locator('[data-coder="ann"] blockquote').inner_text()

    with page.expect_download() as download:
        page.locator("[data-download-csv]").click()
    assert download.value.suggested_filename == "agreement-sco-security-cooperation-masuda-2010.csv"
    assert download.value.path().read_text(encoding="utf-8").startswith("scope,paper,tag,coders,figure")

    href = disagreement.locator("[data-passage]").first.get_attribute("href")
    disagreement.locator("[data-passage]").first.click()
    page.wait_for_url(f"**{href}")
    claim_id = href.split("#claim-")[1]
    page.wait_for_selector("body[data-reader-ready]")
    # The reader opens the claim the disagreement named: active in the panel, its statement in the popover.
    page.locator(f'li[data-claim-id="{claim_id}"].is-active').wait_for()
    statement = Claim.objects.get(pk=claim_id).statement
    page.locator("[data-statement]").filter(has_text=statement).first.wait_for()


def test_an_owner_runs_a_coding_round_and_an_analyst_marks_a_paper_done(page, live_server):
    world = store_masuda_codings()
    login(page, live_server, world["owner"])
    page.goto("/projects/sco-security-cooperation/rounds/")
    page.locator("form[data-open-round]").get_by_label("Papers").select_option("masuda-2010")
    page.locator("form[data-open-round]").get_by_role("button", name="Open").click()
    assert "Round opened" in page.locator(".messages").inner_text()
    assign = page.locator("form[data-assign]")
    assign.get_by_label("Analyst").select_option("ann")
    assign.get_by_role("button", name="Assign").click()
    assert page.locator('[data-analyst="ann"]').inner_text().split("\t")[:3] == ["ann", "0", "1"]
    page.locator("form.inline button:text('Log out')").click()

    login(page, live_server, world["coders"]["ann"])
    page.goto("/projects/sco-security-cooperation/rounds/")
    page.locator("[data-my-assignments]").get_by_role("button", name="Mark done").click()
    assert "masuda-2010 marked done" in page.locator(".messages").inner_text()
    assert Assignment.objects.get().done_at is not None
    assert CodingRound.objects.get().is_open
