"""Audits still open or waiting for oversight whose auditor was also to give the
oversight (the practitioner's line manager audited the case) go to the next manager up,
as services.audits.oversight_manager now decides for new audits. Final audits keep the
oversight they had."""

from django.db import migrations
from django.db.models import F

OPEN_OR_WAITING = ["assigned", "in_progress", "submitted", "moderated"]


def _next_manager_up(staff_members, audit):  # noqa: ANN001, ANN202
    auditor = audit.auditor
    if auditor.line_manager_id and auditor.line_manager_id != auditor.pk:
        return auditor.line_manager_id
    return (
        staff_members.filter(
            organisation_id=audit.case.organisation_id,
            service_id=audit.case.service_id,
            role="service_manager",
        )
        .exclude(pk=auditor.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    audits = apps.get_model("audits", "Audit").objects
    staff_members = apps.get_model("cases", "StaffMember").objects
    own = audits.filter(status__in=OPEN_OR_WAITING, line_manager_id=F("auditor_id"))
    for audit in own.select_related("auditor", "case").iterator(chunk_size=500):
        manager = _next_manager_up(staff_members, audit)
        if manager is not None:
            audits.filter(pk=audit.pk).update(line_manager_id=manager)


class Migration(migrations.Migration):
    dependencies = [("audits", "0004_oversight_agrees_with_grade")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
