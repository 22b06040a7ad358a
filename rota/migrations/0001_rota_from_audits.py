"""QARules, Rota and RotaSlot (with their history) move from the audits app to this one.
The tables stay as they are (audits_qarules, audits_rota, audits_rotaslot and the
historical tables): the models are created in this app's state only, and their content
types (so their permissions and any admin log entries) change app label. audits/0007 then
drops them from the audits state."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import rota.models

MOVED = ("qarules", "historicalqarules", "rota", "rotaslot", "historicalrotaslot")


def _move_content_types(apps, old: str, new: str) -> None:  # noqa: ANN001
    content_types = apps.get_model("contenttypes", "ContentType").objects
    for model in MOVED:
        # A row under the new label exists only if something created it early; the old
        # row, with the permissions and log entries pointing at it, wins.
        if content_types.filter(app_label=old, model=model).exists():
            content_types.filter(app_label=new, model=model).delete()
            content_types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _move_content_types(apps, "audits", "rota")


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _move_content_types(apps, "rota", "audits")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        # The tables were created by audits/0003; 0006 is the last migration before the move.
        ("audits", "0006_thematic_reviews_move_to_themes"),
        ("cases", "0004_access_log_per_response"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HistoricalQARules",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "paused_months",
                            models.JSONField(blank=True, default=rota.models.default_paused_months),
                        ),
                        ("activities", models.JSONField(default=rota.models.default_activities)),
                        ("eligible_tiers", models.JSONField(default=rota.models.default_tiers)),
                        (
                            "quota_period",
                            models.CharField(
                                choices=[("month", "Each month"), ("quarter", "Each quarter")],
                                default="month",
                                max_length=8,
                            ),
                        ),
                        ("quota", models.PositiveSmallIntegerField(default=1)),
                        ("reminder_days", models.PositiveSmallIntegerField(default=7)),
                        ("escalation_days", models.PositiveSmallIntegerField(default=14)),
                        ("updated_at", models.DateTimeField(blank=True, editable=False)),
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
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="cases.staffmember",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_historicalqarules",
                        "verbose_name": "historical QA rules",
                        "verbose_name_plural": "historical QA rules",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="Rota",
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
                        ("starts_on", models.DateField()),
                        ("ends_on", models.DateField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.staffmember",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="rotas",
                                to="cases.organisation",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_rota",
                        "ordering": ["-starts_on"],
                    },
                ),
                migrations.CreateModel(
                    name="HistoricalRotaSlot",
                    fields=[
                        (
                            "id",
                            models.BigIntegerField(
                                auto_created=True, blank=True, db_index=True, verbose_name="ID"
                            ),
                        ),
                        (
                            "month",
                            models.DateField(
                                help_text="The first day of the month the slot is in."
                            ),
                        ),
                        (
                            "activity",
                            models.CharField(
                                choices=[
                                    ("practice_review", "Practice review"),
                                    ("practice_observation", "Practice observation"),
                                    ("thematic_review", "Thematic review"),
                                ],
                                max_length=24,
                            ),
                        ),
                        ("pick_reason", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Planned"),
                                    ("open", "Open"),
                                    ("done", "Done"),
                                    ("deferred", "Deferred"),
                                    ("skipped", "Skipped"),
                                ],
                                default="planned",
                                max_length=10,
                            ),
                        ),
                        ("change_reason", models.TextField(blank=True)),
                        ("opened_at", models.DateTimeField(blank=True, null=True)),
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
                            "audit",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="audits.audit",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="cases.case",
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
                            "manager",
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
                            "rota",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="rota.rota",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_historicalrotaslot",
                        "verbose_name": "historical rota slot",
                        "verbose_name_plural": "historical rota slots",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name="RotaSlot",
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
                        (
                            "month",
                            models.DateField(
                                help_text="The first day of the month the slot is in."
                            ),
                        ),
                        (
                            "activity",
                            models.CharField(
                                choices=[
                                    ("practice_review", "Practice review"),
                                    ("practice_observation", "Practice observation"),
                                    ("thematic_review", "Thematic review"),
                                ],
                                max_length=24,
                            ),
                        ),
                        ("pick_reason", models.TextField(blank=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("planned", "Planned"),
                                    ("open", "Open"),
                                    ("done", "Done"),
                                    ("deferred", "Deferred"),
                                    ("skipped", "Skipped"),
                                ],
                                default="planned",
                                max_length=10,
                            ),
                        ),
                        ("change_reason", models.TextField(blank=True)),
                        ("opened_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "audit",
                            models.OneToOneField(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="rota_slot",
                                to="audits.audit",
                            ),
                        ),
                        (
                            "case",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="rota_slots",
                                to="cases.case",
                            ),
                        ),
                        (
                            "manager",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="rota_slots",
                                to="cases.staffmember",
                            ),
                        ),
                        (
                            "organisation",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="rota_slots",
                                to="cases.organisation",
                            ),
                        ),
                        (
                            "rota",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="slots",
                                to="rota.rota",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_rotaslot",
                        "ordering": ["month", "manager__user__last_name", "pk"],
                    },
                ),
                migrations.CreateModel(
                    name="QARules",
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
                        (
                            "paused_months",
                            models.JSONField(blank=True, default=rota.models.default_paused_months),
                        ),
                        ("activities", models.JSONField(default=rota.models.default_activities)),
                        ("eligible_tiers", models.JSONField(default=rota.models.default_tiers)),
                        (
                            "quota_period",
                            models.CharField(
                                choices=[("month", "Each month"), ("quarter", "Each quarter")],
                                default="month",
                                max_length=8,
                            ),
                        ),
                        ("quota", models.PositiveSmallIntegerField(default=1)),
                        ("reminder_days", models.PositiveSmallIntegerField(default=7)),
                        ("escalation_days", models.PositiveSmallIntegerField(default=14)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "organisation",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="qa_rules",
                                to="cases.organisation",
                            ),
                        ),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="cases.staffmember",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "audits_qarules",
                        "verbose_name": "QA rules",
                        "verbose_name_plural": "QA rules",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("quota__gte", 1)),
                                name="qa_rules_quota_positive",
                            )
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="rota",
                    constraint=models.UniqueConstraint(
                        fields=("organisation", "starts_on"), name="rota_start_unique"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="rota",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("ends_on__gt", models.F("starts_on"))),
                        name="rota_ends_after_it_starts",
                    ),
                ),
                migrations.AddIndex(
                    model_name="rotaslot",
                    index=models.Index(
                        fields=["organisation", "month", "status"],
                        name="audits_rota_organis_86c5a3_idx",
                    ),
                ),
                migrations.AddIndex(
                    model_name="rotaslot",
                    index=models.Index(
                        fields=["manager", "month"], name="audits_rota_manager_3382a2_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="rotaslot",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("month__day", 1)), name="slot_month_is_first_day"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
