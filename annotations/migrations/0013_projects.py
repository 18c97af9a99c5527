"""Projects: every author, paper and tag belongs to one. What exists goes into the default project, and each
user's role group becomes a membership of that project with the same role."""

import annotations.textrules
import django.db.models.deletion
import projects.models
from django.db import migrations, models

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
    _constraints_now(schema_editor)


def out_of_projects(apps, schema_editor):
    apps.get_model("projects", "Membership").objects.all().delete()
    _constraints_now(schema_editor)


def _constraints_now(schema_editor):
    """PostgreSQL checks foreign keys at commit (DEFERRABLE INITIALLY DEFERRED): rows written here leave trigger
    events pending, and the AlterField that follows in this transaction cannot alter a table that has some."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0012_paper_doi_url'),
        ('projects', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='author',
            name='project',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='authors', to='projects.project'),
        ),
        migrations.AddField(
            model_name='historicalpaper',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project'),
        ),
        migrations.AddField(
            model_name='historicaltag',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project'),
        ),
        migrations.AddField(
            model_name='paper',
            name='project',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='papers', to='projects.project'),
        ),
        migrations.AddField(
            model_name='tag',
            name='project',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='tags', to='projects.project'),
        ),
        migrations.RunPython(into_default_project, out_of_projects),
        migrations.AlterField(
            model_name='author',
            name='project',
            field=models.ForeignKey(default=projects.models.default_project_id, on_delete=django.db.models.deletion.PROTECT, related_name='authors', to='projects.project'),
        ),
        migrations.AlterField(
            model_name='historicalpaper',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, default=projects.models.default_project_id, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project'),
        ),
        migrations.AlterField(
            model_name='historicaltag',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, default=projects.models.default_project_id, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.project'),
        ),
        migrations.AlterField(
            model_name='paper',
            name='project',
            field=models.ForeignKey(default=projects.models.default_project_id, on_delete=django.db.models.deletion.PROTECT, related_name='papers', to='projects.project'),
        ),
        migrations.AlterField(
            model_name='tag',
            name='project',
            field=models.ForeignKey(default=projects.models.default_project_id, on_delete=django.db.models.deletion.PROTECT, related_name='tags', to='projects.project'),
        ),
        migrations.AlterField(
            model_name='author',
            name='name',
            field=models.CharField(max_length=200, validators=[annotations.textrules.refuse_control_characters]),
        ),
        migrations.AlterField(
            model_name='historicalpaper',
            name='doi',
            field=models.CharField(blank=True, help_text='e.g. 10.1000/xyz123', max_length=200, null=True),
        ),
        migrations.AlterField(
            model_name='paper',
            name='doi',
            field=models.CharField(blank=True, help_text='e.g. 10.1000/xyz123', max_length=200, null=True),
        ),
        migrations.AlterField(
            model_name='tag',
            name='slug',
            field=models.SlugField(),
        ),
        migrations.AddConstraint(
            model_name='author',
            constraint=models.UniqueConstraint(fields=('project', 'name'), name='author_name_unique_in_project'),
        ),
        migrations.AddConstraint(
            model_name='paper',
            constraint=models.UniqueConstraint(fields=('project', 'doi'), name='paper_doi_unique_in_project'),
        ),
        migrations.AddConstraint(
            model_name='tag',
            constraint=models.UniqueConstraint(fields=('project', 'slug'), name='tag_slug_unique_in_project'),
        ),
    ]
