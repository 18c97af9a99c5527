"""The `--project SLUG` option the management commands share: the default project when it is left out."""

from django.core.management.base import CommandError

from projects.models import DEFAULT_PROJECT_SLUG, Project, default_project


def add_project_argument(parser, what: str = "the project to work in") -> None:
    parser.add_argument("--project", metavar="SLUG", default="", help=f"{what} (default: {DEFAULT_PROJECT_SLUG})")


def project_named(slug: str) -> Project:
    """The project `slug` names (the shell sees every project); the default project, made if need be, for none."""
    if not slug:
        return default_project()
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        raise CommandError(f"--project: there is no project {slug!r}.")
    return project
