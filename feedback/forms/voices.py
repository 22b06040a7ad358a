"""Forms for feedback, themes, "you said, we did", one-use links, and the family's own
feedback form (plain words; for a child, simpler words and a face scale)."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from cases.forms import FamilyLinkForm
from cases.models import FamilyLink, JourneyStage
from core.forms import DateField, gds_helper, radio_field
from feedback.models import RATING_CHOICES, Channel, Sentiment, Source

ID_FIELD = {"min_value": 1, "max_value": 2**31 - 1, "required": False}


def _textarea(
    label: str, help_text: str = "", *, required: bool = False, rows: int = 5, message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=required,
        max_length=5000,
        error_messages={
            "max_length": "Write 5,000 characters or fewer",
            "required": message or f"Enter {label.lower()}",
        },
    )


def _not_in_future(day: datetime.date, what: str) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(f"The date {what} must be today or in the past")
    return day


# The family's form, opened through a one-use link.

FACES = {5: "😄", 4: "🙂", 3: "😐", 2: "🙁", 1: "😢"}
ADULT_WHO = [
    (Source.PARENT, "A parent"),
    (Source.CARER, "A carer"),
    (Source.ADOPTER, "An adopter, or going to adopt"),
    (Source.BIRTH_PARENT, "A birth parent"),
    (Source.ADOPTED_ADULT, "An adopted adult"),
]


class FamilyFeedbackForm(forms.Form):
    """What a child, parent or adopter tells us: a face, then their own words."""

    rating = radio_field(
        choices=RATING_CHOICES,
        coerce=int,
        message="Choose the face that shows how you feel",
        label="How do you feel about the help you have had from us?",
    )
    good = _textarea("What has gone well?", rows=4)
    better = _textarea("What could we do better?", rows=4)
    name = forms.CharField(
        label="Your name (you do not have to tell us)",
        required=False,
        max_length=120,
        error_messages={"max_length": "Write your name in 120 characters or fewer"},
    )

    def __init__(self, *args: Any, child: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.child = child
        if child:
            self.fields["rating"].label = "How do you feel about the help you get?"
            self.fields["good"].label = "What is good?"
            self.fields["better"].label = "What could be better?"
            self.fields["name"].label = "Your first name (only if you want to)"
            fields = ["good", "better", "name"]
        else:
            self.fields["who"] = radio_field(
                choices=ADULT_WHO,
                message="Choose who you are",
                label="Are you",
            )
            fields = ["who", "good", "better", "name"]
        # The faces are drawn by the page's template; the rest by crispy-forms-gds.
        self.helper = gds_helper(*fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def faces(self) -> list[dict[str, Any]]:
        """The face scale's options, for the template: value, face, words, checked."""
        chosen = str(self["rating"].value() or "")
        return [
            {"value": value, "face": FACES[value], "words": words, "checked": str(value) == chosen}
            for value, words in RATING_CHOICES
        ]


def family_feedback_form(link: FamilyLink, data: Any) -> FamilyFeedbackForm:
    return FamilyFeedbackForm(data, child=link.audience == FamilyLink.Audience.CHILD)


# Staff pages.


class LinkForm(FamilyLinkForm):
    """Asking a family for feedback: for a child, the page has simpler words and faces."""

    audience = radio_field(
        choices=FamilyLink.Audience.choices,
        message="Choose who the link is for",
        label="Who is the link for?",
        initial=FamilyLink.Audience.ADULT,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, submit="Make the link", **kwargs)


class FeedbackForm(forms.Form):
    """What someone said, recorded by staff."""

    source = radio_field(
        choices=Source.choices,
        message="Choose who gave the feedback",
        label="Who gave the feedback?",
    )
    person_name = forms.CharField(
        label="Their name (optional)",
        help_text="Only if they gave it and agreed to it being kept.",
        required=False,
        max_length=120,
        error_messages={"max_length": "Write 120 characters or fewer"},
    )
    said = _textarea(
        "What did they say?",
        "In their words, as far as you can.",
        required=True,
        message="Enter what they said",
    )
    sentiment = radio_field(
        choices=Sentiment.choices,
        message="Choose whether it was positive, mixed or negative",
        label="Was it positive, mixed or negative?",
    )
    channel = forms.ChoiceField(
        label="How did it reach us?",
        choices=[("", "Choose how"), *((k, v) for k, v in Channel.choices if k != Channel.LINK)],
        error_messages={
            "required": "Choose how the feedback reached us",
            "invalid_choice": "Choose how the feedback reached us",
        },
    )
    received_on = DateField(
        label="When was it given?",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date the feedback was given"},
    )
    case_reference = forms.CharField(
        label="The child's or adopter's ID (optional)",
        help_text="If it is about one child or family, the ID on their record.",
        required=False,
        max_length=40,
    )
    journey_stage = forms.ChoiceField(
        label="Stage of the journey (optional)",
        required=False,
        choices=[("", "Not about one stage, or the case's own"), *JourneyStage.choices],
    )

    def __init__(self, *args: Any, services: Any, teams: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"] = forms.ModelChoiceField(
            queryset=services,
            required=False,
            label="Service (optional)",
            empty_label="The case's service, or none",
            error_messages={"invalid_choice": "Choose a service from the list"},
        )
        self.fields["team"] = forms.ModelChoiceField(
            queryset=teams,
            required=False,
            label="Team (optional)",
            empty_label="The case's team, or none",
            error_messages={"invalid_choice": "Choose a team from the list"},
        )
        self.fields["themes"] = forms.ModelMultipleChoiceField(
            queryset=themes,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Themes (optional)",
            error_messages={"invalid_choice": "Choose themes from the list"},
        )
        self.order_fields(
            [
                "source",
                "person_name",
                "said",
                "sentiment",
                "channel",
                "received_on",
                "case_reference",
                "service",
                "team",
                "journey_stage",
                "themes",
            ]
        )
        self.helper = gds_helper(
            *self.fields, submit="Save feedback", label_size=Size.SMALL, legend_size=Size.SMALL
        )

    def clean_received_on(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["received_on"], "it was given")


class RespondForm(forms.Form):
    response = _textarea(
        "Our response",
        "What we told them, or what we did.",
        required=True,
        message="Enter the response you gave",
    )
    responded_on = DateField(
        label="When did we respond?",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date of the response"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.fields, submit="Save the response", label_size=Size.SMALL)

    def clean_responded_on(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["responded_on"], "of the response")


class ThemesForm(forms.Form):
    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"] = forms.ModelMultipleChoiceField(
            queryset=themes,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label="Themes",
            error_messages={"invalid_choice": "Choose themes from the list"},
        )
        self.helper = gds_helper("themes", submit="Save themes", legend_size=Size.SMALL)


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme",
        max_length=80,
        error_messages={
            "required": "Enter the theme's name",
            "max_length": "Write the theme in 80 characters or fewer",
        },
    )
    description = forms.CharField(
        label="What it covers (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "Write 300 characters or fewer"},
    )
    active = forms.BooleanField(
        label="Offer this theme for new feedback", required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.fields, submit="Save theme", label_size=Size.SMALL)


class YouSaidForm(forms.Form):
    you_said = _textarea(
        "You said",
        "What people told us, in words families will recognise. No names or details of anyone.",
        required=True,
        rows=3,
        message="Enter what people said",
    )
    we_did = _textarea(
        "We did", "What changed because of it.", required=True, rows=3, message="Enter what we did"
    )

    def __init__(self, *args: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme"] = forms.ModelChoiceField(
            queryset=themes,
            required=False,
            label="Theme (optional)",
            empty_label="No theme",
            error_messages={"invalid_choice": "Choose a theme from the list"},
        )
        self.helper = gds_helper(*self.fields, submit="Save", label_size=Size.SMALL)


class FeedbackFilterForm(forms.Form):
    """The list's filters, and the figures' drill-down links. Anything wrong is ignored."""

    source = forms.ChoiceField(
        label="Who", required=False, choices=[("", "Anyone"), *Source.choices]
    )
    sentiment = forms.ChoiceField(
        label="Sentiment", required=False, choices=[("", "Any"), *Sentiment.choices]
    )
    channel = forms.ChoiceField(
        label="How it reached us", required=False, choices=[("", "Any way"), *Channel.choices]
    )
    journey_stage = forms.ChoiceField(
        label="Stage", required=False, choices=[("", "Any stage"), *JourneyStage.choices]
    )
    responded = forms.ChoiceField(
        label="Response",
        required=False,
        choices=[("", "With or without"), ("no", "Waiting for a response"), ("yes", "Answered")],
    )
    since = forms.DateField(required=False, widget=forms.HiddenInput)
    until = forms.DateField(required=False, widget=forms.HiddenInput)
    team = forms.IntegerField(widget=forms.HiddenInput, **ID_FIELD)

    def __init__(self, *args: Any, services: Any, themes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"] = forms.ModelChoiceField(
            queryset=services, required=False, label="Service", empty_label="Any service"
        )
        self.fields["theme"] = forms.ModelChoiceField(
            queryset=themes, required=False, label="Theme", empty_label="Any theme"
        )
        self.helper = gds_helper(
            "source",
            "sentiment",
            "service",
            "theme",
            "channel",
            "journey_stage",
            "responded",
            "since",
            "until",
            "team",
            submit="Apply filters",
        )
        self.helper.form_method = "get"

    def value(self, name: str) -> Any:
        """A filter's value, or None: a bad value in one filter drops that filter only."""
        if not self.is_bound:
            return None
        self.is_valid()
        return self.cleaned_data.get(name)
