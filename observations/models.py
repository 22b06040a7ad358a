"""Practice observations: a manager (or an independent chair) watches a practitioner at
work and records what went well, what would be even better, the impact on the child and a
grade; the practitioner adds their own reflection; the QA service moderates.

Seed 001: observations monthly by every tier manager, of their own practitioners, in
reviews, conferences, team around the family meetings, home visits, children's centre
sessions, youth projects, group work and one-to-one work, with a conversation with the
family; seed 003: every practitioner observed by their line manager twice a year; seed 002
(2.5, 2.6): observation of supervision, and by senior managers.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.grades import GOOD_OR_BETTER, Grade
from cases.models import Case, Organisation, Service, StaffMember, Team
from core.tags import StatusTag
from observations.querysets import (
    ObservationActionQuerySet,
    ObservationQuerySet,
    PracticeEventActionQuerySet,
    PracticeEventQuerySet,
    PracticeVisitQuerySet,
)


class Setting(models.TextChoices):
    """Where the practice was observed (seed 001's list, with seed 002's supervision and
    a panel presentation)."""

    REVIEW = "review", "Review"
    CONFERENCE = "conference", "Child protection conference"
    TEAM_AROUND_FAMILY = "team_around_family", "Team around the family meeting"
    HOME_VISIT = "home_visit", "Home visit"
    CHILDRENS_CENTRE = "childrens_centre", "Children's centre session"
    YOUTH_PROJECT = "youth_project", "Youth project"
    GROUP_WORK = "group_work", "Group work"
    ONE_TO_ONE = "one_to_one", "One-to-one work with a child or young person"
    SUPERVISION = "supervision", "Supervision"
    PANEL = "panel", "Panel presentation"


class Observation(StatusTag, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_REFLECTION = "awaiting_reflection", "Waiting for the practitioner's reflection"
        SUBMITTED = "submitted", "Submitted"
        MODERATED = "moderated", "Moderated"

    STATUS_COLOURS = {
        Status.DRAFT: "light-blue",
        Status.AWAITING_REFLECTION: "yellow",
        Status.SUBMITTED: "purple",
        Status.MODERATED: "green",
    }

    # The observer may still change it, and the practitioner write their reflection.
    EDITABLE = (Status.DRAFT, Status.AWAITING_REFLECTION)
    # Done, as far as the rota and the figures are concerned.
    FINISHED = (Status.SUBMITTED, Status.MODERATED)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="observations"
    )
    observer = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="observations_made"
    )
    # Chosen by the observer; empty on an observation the rota has just opened.
    practitioner = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations_of",
    )
    setting = models.CharField(max_length=24, choices=Setting.choices, blank=True)
    observed_on = models.DateField("date observed", null=True, blank=True)
    due_on = models.DateField()
    # The case the practice was about, where there is one (one the observer may see).
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="observations"
    )
    # The practice focused day or practice week it was assigned in, if any.
    practice_event = models.ForeignKey(
        "PracticeEvent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )

    # The observer's record.
    went_well = models.TextField("what went well", blank=True)
    even_better_if = models.TextField("even better if", blank=True)
    impact_on_child = models.TextField("the impact on the child", blank=True)
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    family_view = models.TextField("the family's view", blank=True)
    # Bumped on every save of the observer's record: the optimistic lock for two editors.
    revision = models.PositiveIntegerField(default=0)

    # Written by the practitioner only, with a lock of its own.
    reflection = models.TextField("practitioner's reflection", blank=True)
    reflection_revision = models.PositiveIntegerField(default=0)
    reflection_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=24, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # QA moderation: whether the moderator agrees with the grade, the grade they would
    # give if not, and feedback to the observer.
    moderation_agrees = models.BooleanField(null=True, blank=True)
    moderated_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    moderation_feedback = models.TextField(blank=True)
    moderated_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObservationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "awaiting_reflection"])
                | (~Q(grade="") & Q(practitioner__isnull=False) & Q(observed_on__isnull=False)),
                name="observation_complete_once_submitted",
            ),
            models.CheckConstraint(
                condition=Q(practitioner__isnull=True) | ~Q(practitioner=F("observer")),
                name="observation_not_of_oneself",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "observed_on"]),
        ]

    def __str__(self) -> str:
        who = self.practitioner.display_name if self.practitioner else "a practitioner"
        return f"Practice observation of {who}"

    def get_absolute_url(self) -> str:
        return reverse("observations:observation_detail", kwargs={"observation_pk": self.pk})

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_good_or_better(self) -> bool:
        return self.grade in GOOD_OR_BETTER

    @property
    def is_overdue(self) -> bool:
        return self.is_editable and self.due_on < timezone.localdate()


class ObservationAction(models.Model):
    """Something to do because of an observation: what, who, by when; tracked until done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="observation_actions"
    )
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="observation_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ObservationActionQuerySet.as_manager()
    history = HistoricalRecords()

    # Set by the views for the "Mark as done" button.
    can_complete: bool

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="observation_action_done_iff_done_on",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        url = reverse(
            "observations:observation_detail", kwargs={"observation_pk": self.observation_id}
        )
        return f"{url}#action-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()


# Practice focused days (seed 001: quarterly, guided conversations, coordinated by QA) and
# practice weeks (seed 003: twice a year, senior managers visiting every area; feedback
# reviewed by the senior management team and actions communicated).


class PracticeEvent(models.Model):
    class Kind(models.TextChoices):
        FOCUSED_DAY = "focused_day", "Practice focused day"
        PRACTICE_WEEK = "practice_week", "Practice week"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="practice_events"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    purpose = models.TextField(blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="practice_events")
    services = models.ManyToManyField(Service, blank=True, related_name="practice_events")
    # The senior leaders taking part.
    leaders = models.ManyToManyField(StaffMember, blank=True, related_name="practice_events_led")
    # The QA service's coordinator.
    coordinator = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="practice_events_coordinated"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PracticeEventQuerySet.as_manager()
    # Who changed the dates, title or purpose, and when (the teams, services and leaders
    # are in the summary; their changes are not kept).
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="practice_event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("observations:event_detail", kwargs={"event_pk": self.pk})


class PracticeVisit(models.Model):
    """A senior leader's visit to a team during the event, with the notes of the guided
    conversations they held."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(PracticeEvent, on_delete=models.CASCADE, related_name="visits")
    leader = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="practice_visits"
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="practice_visits")
    visit_on = models.DateField("date of the visit")
    notes = models.TextField("guided conversation notes", blank=True)
    notes_at = models.DateTimeField(null=True, blank=True)

    objects = PracticeVisitQuerySet.as_manager()

    class Meta:
        ordering = ["visit_on", "pk"]

    def __str__(self) -> str:
        return f"Visit to {self.team.name}"

    def get_absolute_url(self) -> str:
        return reverse("observations:visit_detail", kwargs={"visit_pk": self.pk})


class FindingTheme(models.TextChoices):
    """What a finding is about: the themes the summary counts."""

    CHILDS_VOICE = "childs_voice", "The child's voice and lived experience"
    PLANNING = "planning", "Assessment and planning"
    PARTNERSHIP = "partnership", "Working with families and partners"
    OVERSIGHT = "oversight", "Management oversight and supervision"
    RECORDING = "recording", "Recording"
    WORKFORCE = "workforce", "Workforce, caseloads and wellbeing"


class PracticeFinding(models.Model):
    class Kind(models.TextChoices):
        WORKING_WELL = "working_well", "What's working well"
        WORRY = "worry", "What we are worried about"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(PracticeEvent, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    theme = models.CharField(max_length=16, choices=FindingTheme.choices)
    text = models.TextField()
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "theme", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PracticeEventAction(models.Model):
    """Something to do because of the event's findings: tracked until done, with the
    other actions (core.registry.action_sources)."""

    Status = ObservationAction.Status

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(PracticeEvent, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        StaffMember, on_delete=models.PROTECT, related_name="practice_event_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = PracticeEventActionQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_on__isnull=True)
                | Q(status="done", done_on__isnull=False),
                name="practice_event_action_done_iff_done_on",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]

    def get_absolute_url(self) -> str:
        return f"{self.event.get_absolute_url()}#event-action-{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < timezone.localdate()
