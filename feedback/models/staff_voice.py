"""The voice of the workforce (seed 001: the Annual Health Check led by the Principal
Social Worker and the Annual Staff Survey; seed 002, 2.9): survey results imported from a
CSV file, one response per row with its team and no person, read only as aggregates by
team where at least five people answered (feedback/staff_voice.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Organisation, StaffMember, Team
from feedback.querysets import StaffSurveyQuerySet, SurveyAnswerQuerySet


class SurveyKind(models.TextChoices):
    STAFF_SURVEY = "staff_survey", "Annual staff survey"
    HEALTH_CHECK = "health_check", "Annual health check"


# The agreement scale of every question: 1 strongly disagree ... 5 strongly agree.
SCALE_MIN = 1
SCALE_MAX = 5
# An answer of 4 or 5 agrees.
AGREES_FROM = 4


class StaffSurvey(models.Model):
    """One year's results of one kind of survey for an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff_surveys"
    )
    kind = models.CharField(max_length=16, choices=SurveyKind.choices)
    year = models.PositiveSmallIntegerField()
    imported_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=200, blank=True)
    responses_count = models.PositiveIntegerField(default=0)

    objects = StaffSurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "year"], name="staff_survey_one_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:survey_results", kwargs={"survey_pk": self.pk})


class SurveyQuestion(models.Model):
    """A question of a survey: one column of the file, in the file's order."""

    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["survey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One person's answers: their team, never who they are."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["survey", "team"])]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class SurveyAnswer(models.Model):
    """One answer on the agreement scale; the survey and team are copied from the
    response so the aggregates group one table."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    survey = models.ForeignKey(StaffSurvey, on_delete=models.CASCADE, related_name="answers")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField()

    objects = SurveyAnswerQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=Q(value__gte=SCALE_MIN, value__lte=SCALE_MAX),
                name="survey_answer_on_scale",
            ),
        ]
        indexes = [models.Index(fields=["survey", "question", "team"])]

    def __str__(self) -> str:
        return str(self.value)
