"""ThematicReview (and its history) moves from the audits app to this one. The tables stay
as they are (audits_thematicreview, audits_historicalthematicreview): the models are
created in this app's state only, and their content types (so their permissions and any
admin log entries) change app label. audits/0006 then drops them from the audits state."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MOVED = ("thematicreview", "historicalthematicreview")


def _move_content_types(apps, old: str, new: str) -> None:  # noqa: ANN001
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MOVED:
        # A row under the new label exists only if something created it early; the old
        # row, with the permissions and log entries pointing at it, wins.
        if content_types.filter(app_label=old, model=model).exists():
            content_types.filter(app_label=new, model=model).delete()
            content_types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _move_content_types(apps, "audits", "themes")


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _move_content_types(apps, "themes", "audits")


STATUSES = [
    ("proposed", "Proposed"),
    ("agreed", "Agreed"),
    ("scheduled", "Scheduled"),
    ("complete", "Findings written up"),
    ("declined", "Declined"),
]
SOURCES = [
    ("board", "A board"),
    ("meeting", "A meeting"),
    ("indicator", "An indicator trend"),
    ("audit", "Audit findings"),
    ("other", "Something else"),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables were created by audits/0003; 0005 is the last migration before the move.
        ("audits", "0005_oversight_not_by_the_auditor"),
        ("cases", "0004_access_log_per_response"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ThematicReview",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("title", models.CharField(max_length=160)),
                        (
                            "question",
                            models.TextField(help_text="What the review sets out to find out."),
                        ),
                        (
                            "source",
                            models.CharField(choices=SOURCES, default="meeting", max_length=12),
                        ),
                        ("source_detail", models.CharField(blank=True, max_length=200)),
                        (
                            "status",
                            models.CharField(choices=STATUSES, default="proposed", max_length=12),
                        ),
                        ("month", models.DateField(blank=True, null=True)),
                        ("sample_size", models.PositiveSmallIntegerField(default=10)),
                        ("findings", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="thematic_reviews",
                                to="cases.organisation",
                            ),
                        ),
                        (
                            "proposed_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.staffmember",
                            ),
                        ),
                        (
                            "tool",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="audits.audittool",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_thematicreview",
                        "ordering": ["-month", "-created_at"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("month__isnull", True), ("month__day", 1), _connector="OR"
                                ),
                                name="theme_month_is_first_day",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalThematicReview",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        ("title", models.CharField(max_length=160)),
                        (
                            "question",
                            models.TextField(help_text="What the review sets out to find out."),
                        ),
                        (
                            "source",
                            models.CharField(choices=SOURCES, default="meeting", max_length=12),
                        ),
                        ("source_detail", models.CharField(blank=True, max_length=200)),
                        (
                            "status",
                            models.CharField(choices=STATUSES, default="proposed", max_length=12),
                        ),
                        ("month", models.DateField(blank=True, null=True)),
                        ("sample_size", models.PositiveSmallIntegerField(default=10)),
                        ("findings", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")],
                                max_length=1,
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="cases.organisation",
                            ),
                        ),
                        (
                            "proposed_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="cases.staffmember",
                            ),
                        ),
                        (
                            "tool",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="audits.audittool",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "historical thematic review",
                        "verbose_name_plural": "historical thematic reviews",
                        "db_table": "audits_historicalthematicreview",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
