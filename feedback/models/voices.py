"""Feedback in people's own words, the themes an organisation tags it with, and "you said,
we did" (seed 002, 2.7; seed 001; seed 003's children, young people and families' feedback
and partner agency feedback)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, FamilyLink, JourneyStage, Organisation, Service, StaffMember, Team
from feedback.querysets import FeedbackQuerySet, FeedbackThemeQuerySet, YouSaidWeDidQuerySet


class FeedbackTheme(models.Model):
    """A tag the organisation keeps for what people talk about ("being listened to",
    "changes of worker"), so feedback can be counted by theme."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="feedback_themes"
    )
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    objects = FeedbackThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="feedback_theme_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    """Who gave the feedback (a type; a person's name only where they gave it)."""

    CHILD = "child", "Child or young person"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    ADOPTER = "adopter", "Adopter or prospective adopter"
    BIRTH_PARENT = "birth_parent", "Birth parent"
    ADOPTED_ADULT = "adopted_adult", "Adopted adult"
    STAFF = "staff", "Member of staff"
    PARTNER = "partner", "Partner agency"


class Channel(models.TextChoices):
    LINK = "link", "Online, through a one-use link"
    CONVERSATION = "conversation", "Conversation with a worker"
    AUDIT = "audit", "Audit or practice review"
    OBSERVATION = "observation", "Practice observation or practice week"
    APP = "app", "App for children's views"
    SURVEY = "survey", "Survey or questionnaire"
    EVENT = "event", "Participation group or forum"
    EMAIL = "email", "E-mail or letter"
    PHONE = "phone", "Telephone"


class Sentiment(models.TextChoices):
    POSITIVE = "positive", "Positive"
    MIXED = "mixed", "Mixed"
    NEGATIVE = "negative", "Negative"


SENTIMENT_COLOURS = {
    Sentiment.POSITIVE: "green",
    Sentiment.MIXED: "yellow",
    Sentiment.NEGATIVE: "red",
}

# The face scale a child or adult answers on, and the sentiment each face counts as.
RATING_CHOICES = [
    (5, "Really happy"),
    (4, "Happy"),
    (3, "Okay"),
    (2, "Unhappy"),
    (1, "Really unhappy"),
]


def sentiment_of(rating: int) -> str:
    if rating >= 4:
        return Sentiment.POSITIVE
    if rating == 3:
        return Sentiment.MIXED
    return Sentiment.NEGATIVE


class Feedback(models.Model):
    """What someone said about the service, in their words: who (a type), about which case,
    team or service, at which stage of the journey, how it came in, the themes, and the
    response given to them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="feedback"
    )
    source = models.CharField("who gave it", max_length=16, choices=Source.choices)
    # Only where the person gave it and agreed it is kept.
    person_name = models.CharField("their name", max_length=120, blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    journey_stage = models.CharField(
        max_length=24, choices=JourneyStage.choices, blank=True, default=""
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received_on = models.DateField()
    said = models.TextField("what they said")
    themes = models.ManyToManyField(FeedbackTheme, blank=True, related_name="feedback")
    sentiment = models.CharField(max_length=8, choices=Sentiment.choices)
    # The face they chose, when they answered on the face scale (1 to 5).
    rating = models.PositiveSmallIntegerField(null=True, blank=True, choices=RATING_CHOICES)
    response = models.TextField("our response", blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    link = models.OneToOneField(
        FamilyLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name_plural = "feedback"
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_on_the_scale",
            ),
            models.CheckConstraint(
                condition=Q(responded_on__isnull=True) | ~Q(response=""),
                name="feedback_responded_with_a_response",
            ),
        ]
        indexes = [
            # The list's default order, for the organisation and for a team.
            models.Index(
                fields=["organisation", "-received_on", "-id"], name="feedback_org_newest"
            ),
            models.Index(fields=["team", "-received_on"], name="feedback_team_newest"),
            models.Index(fields=["service", "-received_on"], name="feedback_service_newest"),
        ]

    def __str__(self) -> str:
        return f"Feedback from a {self.get_source_display().lower()} on {self.received_on:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("feedback:feedback_detail", kwargs={"feedback_pk": self.pk})

    @property
    def sentiment_colour(self) -> str:
        return SENTIMENT_COLOURS.get(self.sentiment, "grey")


class YouSaidWeDid(models.Model):
    """One pairing of what people said with what changed because of it, for the
    organisation's "you said, we did" page; published entries show on the page for
    families."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="you_said_we_did"
    )
    you_said = models.TextField("you said")
    we_did = models.TextField("we did")
    theme = models.ForeignKey(
        FeedbackTheme, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The feedback it answers: the evidence behind "you said".
    feedback = models.ManyToManyField(Feedback, blank=True, related_name="you_said_we_did")
    published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        StaffMember, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = YouSaidWeDidQuerySet.as_manager()

    class Meta:
        ordering = ["-published_on", "-created_at", "-pk"]
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"

    def __str__(self) -> str:
        return self.you_said[:60]

    def get_absolute_url(self) -> str:
        return reverse("feedback:you_said_detail", kwargs={"you_said_pk": self.pk})
