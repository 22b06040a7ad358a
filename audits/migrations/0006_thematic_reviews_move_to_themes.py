"""ThematicReview now lives in the themes app (themes/0001 took it over, tables and
all): the audits' link to it points there, and the audits state forgets it. No table
changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0005_oversight_not_by_the_auditor"),
        ("themes", "0001_thematic_reviews_from_audits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="audit",
                    name="thematic_review",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="audits",
                        to="themes.thematicreview",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalaudit",
                    name="thematic_review",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="themes.thematicreview",
                    ),
                ),
                migrations.DeleteModel(name="HistoricalThematicReview"),
                migrations.DeleteModel(name="ThematicReview"),
            ],
            database_operations=[],
        ),
    ]
