"""QARules, Rota and RotaSlot now live in the rota app (rota/0001 took them over, tables
and all): the audits state forgets them. No table changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0006_thematic_reviews_move_to_themes"),
        ("rota", "0001_rota_from_audits"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalRotaSlot"),
                migrations.DeleteModel(name="RotaSlot"),
                migrations.DeleteModel(name="Rota"),
                migrations.DeleteModel(name="HistoricalQARules"),
                migrations.DeleteModel(name="QARules"),
            ],
            database_operations=[],
        ),
    ]
