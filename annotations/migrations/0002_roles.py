"""The three roles as auth groups with their permissions (reader < analyst < moderator)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = ["view_author", "view_paper", "view_paperauthor", "view_tag", "view_claim", "view_link"]
ANNOTATE = ["add_claim", "change_claim", "delete_claim", "add_link", "change_link", "delete_link"]
MODERATE = ["moderate_claim", "add_tag", "change_tag", "delete_tag"]
ROLE_PERMISSIONS = {
    "reader": VIEW,
    "analyst": VIEW + ANNOTATE,
    "moderator": VIEW + ANNOTATE + MODERATE,
}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations run; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(content_type__app_label="annotations", codename__in=codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
