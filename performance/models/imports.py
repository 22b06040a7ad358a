"""Case-data imports: one run per upload, and the problems found in its file(s).

A run is validated whole before anything is written, then applied in one transaction or
not at all (performance/services/imports/). Runs belong to one organisation: the
uploader's, which is also where every imported record goes.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cases.models import Organisation, StaffMember, Team
from core.tags import StatusTag
from performance.querysets import ImportRunQuerySet

__all__ = ["ImportProblem", "ImportRun"]

# Roles that read their organisation's import runs (performance/rules.py decides who
# may upload; this decides which runs they see).


def import_upload_to(instance: ImportRun, filename: str) -> str:
    stamp = timezone.now().strftime("%Y/%m/%d")
    return f"imports/{instance.organisation_id}/{stamp}/{filename}"


class ImportRun(StatusTag, models.Model):
    class Kind(models.TextChoices):
        CHILDREN = "children", "Children"
        CASES = "cases", "Cases"
        EVENTS = "events", "Journey events"
        SSDA903 = "ssda903", "Children looked after return (SSDA903)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        VALIDATING = "validating", "Checking the file"
        APPLYING = "applying", "Saving the changes"
        APPLIED = "applied", "Imported"
        UNCHANGED = "unchanged", "No changes"
        FAILED = "failed", "Not imported"

    IN_PROGRESS = (Status.QUEUED, Status.VALIDATING, Status.APPLYING)
    STATUS_COLOURS = {Status.APPLIED: "green", Status.UNCHANGED: "grey", Status.FAILED: "red"}
    DEFAULT_COLOUR = "blue"  # still running

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="import_runs"
    )
    uploaded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="import_runs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # SSDA903 has no team: new looked-after cases go to this one.
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="import_runs"
    )
    # SSDA903: the year the return is for (2024 for 2024-25), when the uploader says;
    # otherwise it is worked out from the file (run.details["collection_year"]).
    collection_year = models.PositiveSmallIntegerField(
        "collection year", null=True, blank=True, validators=[MinValueValidator(2000)]
    )
    file_name = models.CharField("file name", max_length=255)
    file = models.FileField(upload_to=import_upload_to, max_length=300)
    # The SSDA903 episodes file (the header file is `file`).
    second_file_name = models.CharField("episodes file name", max_length=255, blank=True)
    second_file = models.FileField(upload_to=import_upload_to, max_length=300, blank=True)
    sha256 = models.CharField("SHA-256 of the file(s)", max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField("records created", default=0)
    updated_count = models.PositiveIntegerField("records updated", default=0)
    unchanged_count = models.PositiveIntegerField("records unchanged", default=0)
    problem_count = models.PositiveIntegerField(default=0)
    # Counts by record type: {"children": {"created": 3, "updated": 0, "unchanged": 1}, ...}
    # and, for the SSDA903 return, events by kind and children by legal status.
    details = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} import of {self.file_name}"

    def get_absolute_url(self) -> str:
        return reverse("performance:import_detail", kwargs={"import_pk": self.pk})

    @property
    def in_progress(self) -> bool:
        return self.status in self.IN_PROGRESS

    @property
    def file_names(self) -> str:
        return " and ".join(name for name in (self.file_name, self.second_file_name) if name)


class ImportProblem(models.Model):
    """One thing wrong with an uploaded file: where it is and what to do about it."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="problems")
    file = models.CharField(max_length=255, blank=True)
    # None: the problem is with the file as a whole (its encoding, its headings).
    row = models.PositiveIntegerField(null=True, blank=True)
    column = models.CharField(max_length=80, blank=True)
    value = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{self.file} {where}: {self.message}"
