"""A small corpus with claims and links in every state, built through the services, for the exchange tests."""

from dataclasses import dataclass

from annotations import services
from annotations.models import Claim, Link, Tag
from tests.factories import AuthorFactory, PaperFactory, TagFactory

MASUDA_TEXT = (
    "Beijing 🌏 has emphasized that unlike the CSTO, the SCO is not an alliance with military characteristics, "
    "and has stressed its fight against the “three evils”.\n\nThe three evils are terrorism, separatism and "
    "extremism; the SCO is not an alliance."
)
PAN_TEXT = "Pan argues the SCO is a new security concept.\n\nCooperation, not confrontation, guides it. Ĉu ne?"


@dataclass
class World:
    claims: dict[str, Claim]
    links: dict[str, Link]
    tags: dict[str, Tag]


def build_world(*, analyst, moderator) -> World:
    masuda = PaperFactory(
        slug="masuda-2010",
        title="The SCO and its members",
        text=MASUDA_TEXT,
        authors=[AuthorFactory(name="Masuda Masayuki", affiliation="NIDS", country="Japan")],
    )
    pan = PaperFactory(
        slug="pan-2006",
        title="A new security concept",
        text=PAN_TEXT,
        authors=[AuthorFactory(name="Pan Guang", country="China"), AuthorFactory(name="Li Wei", country="China")],
    )
    PaperFactory(slug="yu-fu-2009", title="Without claims", text="Nothing claimed here.")
    alliance = TagFactory(slug="alliance", name="Alliance")
    tags = {
        "alliance": alliance,
        "not-an-alliance": Tag.objects.create(slug="not-an-alliance", name="Not an alliance", parent=alliance),
        "three-evils": TagFactory(slug="three-evils", name="The three evils"),
    }
    c1 = services.claim_create(
        created_by=analyst,
        paper=masuda,
        target={"exact": "the SCO is not an alliance with military characteristics"},
        statement="The SCO is not a military alliance.",
        speaker="Qi Guowei",
        tags=[tags["not-an-alliance"]],
        note="Quoted from <em>Mingbao</em>, 2007.",
    )
    services.claim_moderate(claim_id=c1.pk, by=moderator, decision="approve")
    c2 = services.claim_create(
        created_by=analyst,
        paper=masuda,
        target={"exact": "three evils", "prefix": "The "},
        statement="The three evils are named.",
        stance=Claim.Stance.DENIES,
        # It denies three-evils but affirms alliance: a stance of its own on one tag.
        tags=[tags["three-evils"], (tags["alliance"], Claim.Stance.AFFIRMS)],
    )
    c3 = services.claim_create(
        created_by=moderator,
        paper=pan,
        target={"exact": "Cooperation, not confrontation"},
        statement="Cooperation guides the SCO.",
        stance=Claim.Stance.QUALIFIES,
    )
    services.claim_moderate(claim_id=c3.pk, by=moderator, decision="approve")
    c4 = services.claim_create(created_by=analyst, paper=pan, target={"start": 0, "end": 3}, statement="Pan says so.")
    services.claim_moderate(claim_id=c4.pk, by=moderator, decision="reject", reason="Too vague.")
    c5 = services.claim_create(created_by=analyst, paper=pan, target={"exact": "Ĉu ne?"}, statement="A question.")
    l1 = services.link_create(created_by=analyst, source=c1, target=c3, relation=Link.Relation.SUPPORTS)
    services.link_moderate(link_id=l1.pk, by=moderator, decision="approve")
    l2 = services.link_create(
        created_by=analyst, source=c2, target=c3, relation=Link.Relation.CONFLICTS, rationale="<b>No</b>."
    )
    # Two claims carry one live link, and l1 joins c1 and c3: this restatement joins c2 and c1.
    l3 = services.link_create(created_by=moderator, source=c2, target=c1, relation=Link.Relation.RESTATES)
    services.link_moderate(link_id=l3.pk, by=moderator, decision="approve")
    l4 = services.link_create(created_by=analyst, source=c5, target=c1, relation=Link.Relation.SUPPORTS)
    services.claim_delete(claim_id=c5.pk, by=analyst)
    services.link_delete(link_id=l4.pk, by=analyst)
    claims = {
        name: Claim.objects.get(pk=c.pk)
        for name, c in zip(("c1", "c2", "c3", "c4", "c5"), (c1, c2, c3, c4, c5), strict=True)
    }
    links = {
        name: Link.objects.get(pk=link.pk)
        for name, link in zip(("l1", "l2", "l3", "l4"), (l1, l2, l3, l4), strict=True)
    }
    return World(claims=claims, links=links, tags=tags)
