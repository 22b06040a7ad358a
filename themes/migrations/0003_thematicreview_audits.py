"""A theme's audits, through its ThemeAudit links (no table changes)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0008_audit_thematic_review_moves_to_themes"),
        ("themes", "0002_theme_audits"),
    ]

    operations = [
        migrations.AddField(
            model_name="thematicreview",
            name="audits",
            field=models.ManyToManyField(
                blank=True, related_name="+", through="themes.ThemeAudit", to="audits.audit"
            ),
        ),
    ]
