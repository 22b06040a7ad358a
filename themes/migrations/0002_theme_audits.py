"""The link from an audit to the thematic review whose dip sample it is part of moves to
the themes app: a ThemeAudit row for every audit that names a theme, before
audits/0008 drops the audit's column. Backwards, the column is filled from the links
again."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 1000


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    Audit = apps.get_model("audits", "Audit")
    ThemeAudit = apps.get_model("themes", "ThemeAudit")
    linked = (
        Audit.objects.filter(thematic_review__isnull=False)
        .order_by("pk")
        .values_list("pk", "thematic_review_id")
    )
    ThemeAudit.objects.bulk_create(
        (ThemeAudit(audit_id=audit_id, theme_id=theme_id) for audit_id, theme_id in linked),
        batch_size=BATCH,
    )


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    Audit = apps.get_model("audits", "Audit")
    ThemeAudit = apps.get_model("themes", "ThemeAudit")
    links = ThemeAudit.objects.all()
    Audit.objects.filter(pk__in=links.values("audit_id")).update(
        thematic_review_id=Subquery(links.filter(audit_id=OuterRef("pk")).values("theme_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0007_rota_moves_to_rota"),
        ("themes", "0001_thematic_reviews_from_audits"),
    ]
    # The audit's column goes only once every link is here.
    run_before = [("audits", "0008_audit_thematic_review_moves_to_themes")]

    operations = [
        migrations.CreateModel(
            name="ThemeAudit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "audit",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="theme_link",
                        to="audits.audit",
                    ),
                ),
                (
                    "theme",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="audit_links",
                        to="themes.thematicreview",
                    ),
                ),
            ],
        ),
        migrations.RunPython(forwards, backwards),
    ]
