"""Projects: each holds its papers, codebook, claims and links, and the members who work on them with a role."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from annotations.textrules import refuse_control_characters

DEFAULT_PROJECT_SLUG = "sco-security-cooperation"
DEFAULT_PROJECT_NAME = "SCO security cooperation"


class ProjectRole(models.TextChoices):
    """A member's role in one project; each includes the one before it. An owner is a moderator who also
    manages the project's members and settings."""

    READER = "reader", "Reader"
    ANALYST = "analyst", "Analyst"
    MODERATOR = "moderator", "Moderator"
    OWNER = "owner", "Owner"


ROLE_RANK = {role.value: rank for rank, role in enumerate(ProjectRole)}


class ProjectHistoryAction(models.TextChoices):
    """What a history row of a project or a membership records (a membership's rows read: added, role
    changed, removed)."""

    CREATED = "created", "created"
    EDITED = "edited", "edited"
    DELETED = "deleted", "deleted"
    ARCHIVED = "archived", "archived"
    UNARCHIVED = "unarchived", "unarchived"


class ProjectHistoryEntry(models.Model):
    """Added to the historical models of projects and memberships, as annotations.HistoryEntry to claims': the
    field annotations.history fills from the service's `_history_action` (or infers for other saves)."""

    history_action = models.CharField(
        max_length=12, choices=ProjectHistoryAction.choices, default=ProjectHistoryAction.EDITED
    )

    class Meta:
        abstract = True


class Project(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200, validators=[refuse_control_characters])
    description = models.CharField(max_length=2000, blank=True, validators=[refuse_control_characters])
    # An archived project is read-only for everyone, its owners included, until it is unarchived.
    archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="projects")
    history = HistoricalRecords(bases=[ProjectHistoryEntry])

    class Meta:
        ordering = ["name", "slug"]

    def __str__(self) -> str:
        return self.slug


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=ProjectRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)
    # The rows outlive the membership (and its user): who added, changed or removed whom, when, with which role.
    history = HistoricalRecords(bases=[ProjectHistoryEntry])

    class Meta:
        ordering = ["project", "user"]
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="membership_one_per_user")]

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.user} ({self.role})"


def default_project() -> Project:
    """The project the corpus loader fills and that the API addresses when a request names no project."""
    project, _ = Project.objects.get_or_create(slug=DEFAULT_PROJECT_SLUG, defaults={"name": DEFAULT_PROJECT_NAME})
    return project


def default_project_id() -> int:
    """The default of every `project` foreign key, so that code written before projects keeps working."""
    return default_project().pk
