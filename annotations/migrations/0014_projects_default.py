"""Projects, step 2 of 3: what exists goes into the default project, and each user's role group becomes a
membership of that project with the same role (superusers: owner)."""

from django.db import migrations

DEFAULT_SLUG = "sco-security-cooperation"
DEFAULT_NAME = "SCO security cooperation"
ROLES_BY_RANK = ["moderator", "analyst", "reader"]


def into_default_project(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Membership = apps.get_model("projects", "Membership")
    project, _ = Project.objects.get_or_create(slug=DEFAULT_SLUG, defaults={"name": DEFAULT_NAME})
    for model_name in ("Author", "Paper", "Tag", "HistoricalPaper", "HistoricalTag"):
        apps.get_model("annotations", model_name).objects.update(project=project)
    User = apps.get_model("annotations", "User")
    for user in User.objects.prefetch_related("groups"):
        names = {group.name for group in user.groups.all()}
        role = "owner" if user.is_superuser else next((name for name in ROLES_BY_RANK if name in names), None)
        if role:
            Membership.objects.get_or_create(project=project, user=user, defaults={"role": role})


def out_of_projects(apps, schema_editor):
    apps.get_model("projects", "Membership").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0013_projects"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(into_default_project, out_of_projects)]
