"""A small project whose data package has every kind of awkward cell: quotes, commas, line breaks (a CRLF
too), non-ASCII, cells that look like formulas, numbers or NA, a paged paper, a proposal and a link."""

import io
import zipfile
from pathlib import Path

from annotations import services
from annotations.models import Claim, Tag, TagStatus
from tests.factories import AuthorFactory, PaperFactory, TagFactory

TEXT = 'Page one: Ĉu ne? 安全.\n\nPage two, "quoted", text.\n\nPage three 🌏 ends.'


def tricky_package(api, analyst, moderator, directory: Path) -> Path:
    """Write the data package of a small project with every kind of awkward cell into `directory`."""
    breaks = [0, TEXT.index("Page two"), TEXT.index("Page three"), len(TEXT)]
    paper = PaperFactory(
        slug="tricky", title='He said "no", then\nleft', venue="=Venue()", text=TEXT,
        pages=[[breaks[i], breaks[i + 1]] for i in range(3)],
        authors=[AuthorFactory(name='Smith, Jane "JJ"', affiliation="@Lab, Inc.", country="España")],
    )  # fmt: skip
    accepted = TagFactory(slug="security", name='Security, "hard"', description="One line\nanother, é")
    proposal = Tag.objects.create(project=accepted.project, slug="proposed-one", name="Proposé",
                                  status=TagStatus.PROPOSED, proposed_by=analyst)  # fmt: skip
    first = services.claim_create(
        created_by=analyst, paper=paper, target={"exact": "Page two, \"quoted\", text."},
        statement='A "quoted", comma\nsecond line', speaker="007", note="Line 1\r\nline 2 — ünï 🌏, \\ #",
        tags=[accepted, (proposal, Claim.Stance.DENIES)],
    )  # fmt: skip
    services.claim_moderate(claim_id=first.pk, by=moderator, decision="approve", reason="=ok")
    across = services.claim_create(
        created_by=analyst, paper=paper, target={"start": 5, "end": breaks[1] + 8}, statement="=SUM(A1:A2)",
        speaker="NA", note="  padded  ", stance=Claim.Stance.QUALIFIES, tags=[accepted],
    )  # fmt: skip
    services.claim_create(created_by=analyst, paper=paper, target={"exact": "🌏"}, statement="TRUE")
    services.link_create(created_by=analyst, source=first, target=across, relation="supports",
                         rationale='+1, "two"\nthree')  # fmt: skip
    response = api.as_user(moderator).get("/api/v1/export/datapackage.zip")
    assert response.status_code == 200
    zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).extractall(directory)
    return directory
