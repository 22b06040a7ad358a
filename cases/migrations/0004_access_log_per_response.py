# The access log becomes one entry per response: an action, and the children and adopters
# it showed (many), instead of one entry per child or adopter record opened.

from django.db import migrations, models

BATCH = 1000


def _constraints_now(schema_editor):
    """PostgreSQL checks the new rows' foreign keys at commit; the table cannot be altered
    later in this migration while those checks wait, so run them now."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def subjects_into_lists(apps, schema_editor):
    """Each existing entry's one child or adopter becomes the one name on its list."""
    AccessLog = apps.get_model("cases", "AccessLog")
    for field, many in (("child", "children"), ("adopter", "adopters")):
        Through = getattr(AccessLog, many).through
        rows = (
            AccessLog.objects.filter(**{f"{field}__isnull": False})
            .values_list("pk", f"{field}_id")
            .iterator(chunk_size=BATCH)
        )
        Through.objects.bulk_create(
            (Through(accesslog_id=pk, **{f"{field}_id": subject}) for pk, subject in rows),
            batch_size=BATCH,
        )
    _constraints_now(schema_editor)


def lists_into_one_subject_each(apps, schema_editor):
    """Back to one subject per entry: an entry that listed several becomes one per name
    (same person, path and time); one that listed none is dropped (the old table forbids
    it)."""
    AccessLog = apps.get_model("cases", "AccessLog")
    copies = []
    entries = AccessLog.objects.prefetch_related("children", "adopters").iterator(
        chunk_size=BATCH
    )
    for entry in entries:
        subjects = [{"child_id": c.pk} for c in entry.children.all()]
        subjects += [{"adopter_id": a.pk} for a in entry.adopters.all()]
        if not subjects:
            continue
        first, *rest = subjects
        AccessLog.objects.filter(pk=entry.pk).update(**first)
        copies += [
            AccessLog(
                organisation_id=entry.organisation_id,
                user_id=entry.user_id,
                path=entry.path,
                viewed_at=entry.viewed_at,
                **subject,
            )
            for subject in rest
        ]
    AccessLog.objects.bulk_create(copies, batch_size=BATCH)
    AccessLog.objects.filter(child__isnull=True, adopter__isnull=True).delete()
    _constraints_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_source_refs")]

    operations = [
        migrations.RemoveConstraint(
            model_name="accesslog",
            name="access_log_has_exactly_one_subject",
        ),
        # The old foreign keys give up their reverse name to the new lists (no SQL).
        migrations.AlterField(
            model_name="accesslog",
            name="child",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="cases.child",
            ),
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="adopter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to="cases.adopter",
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("viewed", "Viewed"),
                    ("searched", "Searched"),
                    ("downloaded", "Downloaded"),
                ],
                default="viewed",
                max_length=16,
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="children",
            field=models.ManyToManyField(
                blank=True, related_name="access_logs", to="cases.child"
            ),
        ),
        migrations.AddField(
            model_name="accesslog",
            name="adopters",
            field=models.ManyToManyField(
                blank=True, related_name="access_logs", to="cases.adopter"
            ),
        ),
        migrations.RunPython(subjects_into_lists, lists_into_one_subject_each),
        migrations.RemoveField(model_name="accesslog", name="child"),
        migrations.RemoveField(model_name="accesslog", name="adopter"),
    ]
