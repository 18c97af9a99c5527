"""Projects, step 3 of 3: the project is required (its default: the default project), and names, tag slugs and
DOIs are unique within a project rather than across all."""

import annotations.textrules
import django.db.models.deletion
import projects.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0014_projects_default"),
    ]

    operations = [
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
