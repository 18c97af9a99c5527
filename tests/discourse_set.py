"""The hand-made set of test_discourse.py in the database, for the API, page and browser tests."""

from annotations.models import Status
from tests.factories import AuthorFactory, ClaimFactory, LinkFactory, PaperFactory, TagFactory

MASUDA, SU, LI, PAN = "Masayuki Masuda", "Su Hao", "Li Xin", "Pan Guang"
# Distinct passages of PaperFactory's text, so that every claim has its own quote.
PLACES = [(0, 27), (28, 54), (56, 112), (4, 26), (11, 26), (31, 53), (60, 75), (87, 97), (102, 111), (0, 10), (76, 86)]


def build_argument(moderator):
    """The hand-made set of test_discourse.py, in the database, all approved; plus one pending claim, a pending
    link, an approved link to the pending claim, and a rejected claim and a rejected link that would each add a
    disagreement between Masuda and Pan if they counted.

    Masuda (Japan, Shizuoka) wrote masuda-2010; Su and Li (China, Fudan) su-li-2021; Pan (China, SASS) pan-2006.
    """
    masuda = PaperFactory(
        slug="masuda-2010", year=2010,
        authors=[AuthorFactory(name=MASUDA, country="Japan", affiliation="University of Shizuoka")],
    )  # fmt: skip
    su_li = PaperFactory(
        slug="su-li-2021", year=2021,
        authors=[
            AuthorFactory(name=SU, country="China", affiliation="Fudan University"),
            AuthorFactory(name=LI, country="China", affiliation="Fudan University"),
        ],
    )  # fmt: skip
    pan = PaperFactory(
        slug="pan-2006", year=2006,
        authors=[AuthorFactory(name=PAN, country="China", affiliation="Shanghai Academy of Social Sciences")],
    )  # fmt: skip
    us = TagFactory(slug="us-competition")
    tags = {
        "AU": TagFactory(slug="anti-us", parent=us),
        "NA": TagFactory(slug="not-an-alliance"),
        "SS": TagFactory(slug="shanghai-spirit"),
    }

    places = iter(PLACES)

    def claim(paper, stance, tag_keys, speaker="", status=Status.APPROVED, by=moderator):
        return ClaimFactory(
            paper=paper, at=next(places), stance=stance, tags=[tags[k] for k in tag_keys], speaker=speaker, status=status,
            created_by=by, statement=f"{paper.slug} {stance} {tag_keys}",
        )  # fmt: skip

    c = {
        1: claim(masuda, "affirms", ["NA"]),
        2: claim(masuda, "affirms", ["NA"], speaker="Qi Guowei"),
        3: claim(masuda, "affirms", ["AU"]),
        4: claim(su_li, "affirms", ["NA", "SS"]),
        5: claim(su_li, "denies", ["AU"]),
        6: claim(pan, "denies", ["NA"]),
        7: claim(pan, "qualifies", ["SS"]),
        8: claim(pan, "affirms", ["NA"], speaker="su  hao"),
        9: claim(su_li, "affirms", []),
        "pending": claim(pan, "affirms", ["NA"], status=Status.PENDING),
        "rejected": claim(pan, "denies", ["AU"], status=Status.REJECTED),
    }
    links = {
        1: LinkFactory(source=c[6], target=c[1], relation="conflicts", status=Status.APPROVED, created_by=moderator),
        2: LinkFactory(source=c[4], target=c[1], relation="supports", status=Status.APPROVED, created_by=moderator),
        3: LinkFactory(source=c[5], target=c[3], relation="conflicts", status=Status.APPROVED, created_by=moderator),
        4: LinkFactory(source=c[4], target=c[2], relation="conflicts", status=Status.APPROVED, created_by=moderator),
        "pending": LinkFactory(source=c[7], target=c[4], relation="restates", status=Status.PENDING),
        "to-pending": LinkFactory(
            source=c[1], target=c["pending"], relation="supports", status=Status.APPROVED, created_by=moderator
        ),
        "rejected": LinkFactory(
            source=c[7], target=c[3], relation="conflicts", status=Status.REJECTED, created_by=moderator
        ),
    }
    return {"claims": c, "links": links, "tags": tags}
