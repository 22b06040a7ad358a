"""An audit no longer names its thematic review: the themes app keeps the link
(themes/0002 copied every one into its ThemeAudit before this runs)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0007_rota_moves_to_rota"),
    ]

    operations = [
        migrations.RemoveField(model_name="audit", name="thematic_review"),
        migrations.RemoveField(model_name="historicalaudit", name="thematic_review"),
    ]
