"""Projects, step 1 of 3: every author, paper and tag gets a project (empty for now). The steps are separate
migrations because PostgreSQL refuses to alter a table in the transaction that wrote rows with pending
foreign-key checks into it."""

import django.db.models.deletion
from django.db import migrations, models

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
    ]
