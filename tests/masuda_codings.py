"""Two analysts' independent codings of masuda-2010 (tests/fixtures/agreement_masuda_2010.json) stored as claims
and links of the default project: shared by the agreement tests and the browser test of the agreement page."""

import json
from pathlib import Path

from projects.models import ProjectRole, default_project
from tests.factories import ClaimFactory, LinkFactory, MembershipFactory, PaperFactory, TagFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
CODINGS = json.loads((ROOT / "tests" / "fixtures" / "agreement_masuda_2010.json").read_text(encoding="utf-8"))


def store_masuda_codings(owner_name: str = "olga") -> dict:
    """The owner, the two analysts, the paper, its tags, and every claim (by the fixture's key) and link."""
    project = default_project()
    owner = UserFactory(username=owner_name)
    MembershipFactory(project=project, user=owner, role=ProjectRole.OWNER)
    coders = {}
    for name in sorted({claim["coder"] for claim in CODINGS["claims"]}):
        coders[name] = UserFactory(username=name)
        MembershipFactory(project=project, user=coders[name], role=ProjectRole.ANALYST)
    text = (ROOT / CODINGS["text"]).read_text(encoding="utf-8")
    paper = PaperFactory(slug=CODINGS["paper"], text=text)
    slugs = sorted({slug for claim in CODINGS["claims"] for slug in claim["codings"]})
    tags = {slug: TagFactory(slug=slug) for slug in slugs}
    claims = {}
    for claim in CODINGS["claims"]:
        assert text[claim["start"] : claim["end"]] == claim["exact"]
        claims[claim["key"]] = ClaimFactory(
            paper=paper,
            created_by=coders[claim["coder"]],
            at=(claim["start"], claim["end"]),
            tags=[(tags[slug], stance) for slug, stance in claim["codings"].items()],
        )
    for link in CODINGS["links"]:
        LinkFactory(
            source=claims[link["source"]], target=claims[link["target"]], created_by=coders[link["coder"]],
            relation=link["relation"],
        )  # fmt: skip
    return {"project": project, "owner": owner, "coders": coders, "paper": paper, "claims": claims}
