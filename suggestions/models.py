"""What suggestions store: each paper version's index (passages, terms and sentence vectors, as the pure core's
`PaperIndex.to_bytes()`), the analysts' judgements of suggestions, and the provenance of the claims and links
made from one. See docs/suggestions.md."""

from django.conf import settings
from django.db import models

from annotations.models import Claim, Link, Paper


class Relation(models.TextChoices):
    """What a suggested passage or claim says of the claim it was suggested for."""

    SAME = "same", "same"
    OPPOSITE = "opposite", "opposite"


class PaperVectors(models.Model):
    """A paper version's index under one encoder. Recomputed only when the paper's text (its SHA-256) or the
    encoder changes, so a restart reads the bytes back and calls no model."""

    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    encoder = models.CharField(max_length=100)
    text_sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    passages = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0, help_text="How long indexing took.")
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "encoder"], name="paper_vectors_one_per_encoder")]

    def __str__(self) -> str:
        return f"{self.paper_id} {self.encoder} {self.text_sha256[:8]}"


class PassageJudgement(models.Model):
    """An analyst's answer to a passage suggested for a claim: accepted (a claim and a link were made) or not
    relevant (never suggested for this claim again). `exact` and the paper's text SHA-256 keep it recognisable
    after a revision moves the passage."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="+")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    exact = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    accepted = models.BooleanField()
    relation = models.CharField(max_length=10, choices=Relation.choices, blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["claim", "paper", "start", "end"], name="passage_judgement_once")
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.paper_id}[{self.start}:{self.end}] {'yes' if self.accepted else 'no'}"


class LinkJudgement(models.Model):
    """An analyst's answer to a suggested link between two existing claims; the pair is stored in one order
    (`first` < `second` by id) whatever the direction suggested."""

    first = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    accepted = models.BooleanField()
    relation = models.CharField(max_length=10, choices=Link.Relation.choices, blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    judged_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["first", "second"], name="link_judgement_once")]

    def __str__(self) -> str:
        return f"{self.first_id}~{self.second_id} {'yes' if self.accepted else 'no'}"


class SuggestionOrigin(models.Model):
    """Provenance of a claim or a link made from a suggestion: which method (and version) suggested it, for which
    claim, with what score and relation, who accepted it and when."""

    class Kind(models.TextChoices):
        PASSAGE = "passage", "passage for a claim"
        LINK = "link", "link between claims"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    claim = models.OneToOneField(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestion_origin"
    )
    link = models.OneToOneField(Link, null=True, blank=True, on_delete=models.CASCADE, related_name="suggestion_origin")
    suggested_for = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=100)
    method_version = models.CharField(max_length=100)
    score = models.FloatField(null=True, blank=True)
    relation = models.CharField(max_length=10, choices=Relation.choices, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} by {self.method} {self.method_version}"


class ClaimVectors(models.Model):
    """A claim's query vectors under one encoder (quote, statement, tags: `encode_query`'s three rows), so that a
    suggestion request calls no model. `query_sha256` identifies what they were computed from: an edited claim
    (statement, tags) gets new ones."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    encoder = models.CharField(max_length=100)
    query_sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["claim", "encoder"], name="claim_vectors_one_per_encoder")]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.encoder}"
