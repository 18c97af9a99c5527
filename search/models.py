"""The search index: one row per passage of a paper's text and one per claim, which each database's own
full-text engine indexes (SQLite: the FTS5 table `search_entry_fts`; PostgreSQL: the tsvector column
`document` and its GIN index), both made by migration 0002 and kept in step by the database itself with this
table. This table is written only by `search.indexing`."""

from django.db import models


class SearchEntry(models.Model):
    """A passage of a paper (`claim` empty; `start`/`end` are code points into the paper's text and `text` is
    that slice) or a claim (`text`: its quote, statement, note and speaker, on lines of their own)."""

    # The paper's project, copied (a paper never changes project): a search reads one project's entries without
    # joining its papers, so the plan does not depend on the papers' statistics.
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    paper = models.ForeignKey("annotations.Paper", on_delete=models.CASCADE, related_name="+")
    claim = models.OneToOneField("annotations.Claim", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["paper", "start"], name="search_entry_paper_start")]

    def __str__(self) -> str:
        return f"{self.paper_id}:{self.start}-{self.end}" + (f" claim {self.claim_id}" if self.claim_id else "")
