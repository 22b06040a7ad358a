"""Forms for adoption panel evaluations: a member's form on an item (every rating
required, so nothing partial is saved), the chair's collated copy, and the panel
administrator's meetings and items."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper, radio_field
from feedback.models import PanelItem, Question, Rating

RATING_CHOICES = [(value, f"{value}: {label}") for value, label in Rating.choices]
MESSAGES = {
    Question.REPORT: "Choose a rating for the quality of the report and information",
    Question.PRESENTATION: "Choose a rating for the social worker's presentation",
    Question.ANALYSIS: "Choose a rating for the analysis",
}


def _rating(question: Question) -> forms.ChoiceField:
    return radio_field(
        label=question.label,
        choices=RATING_CHOICES,
        message=MESSAGES[question],
        coerce=int,
    )


class PanelEvaluationForm(forms.Form):
    report = _rating(Question.REPORT)
    presentation = _rating(Question.PRESENTATION)
    analysis = _rating(Question.ANALYSIS)
    comments = forms.CharField(
        label="Comments (optional)",
        help_text="What was done well, and what would have helped the panel more.",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        error_messages={"max_length": "Enter 5,000 characters or fewer"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


class PanelCollationForm(forms.Form):
    summary = forms.CharField(
        label="Collated feedback for the social worker",
        help_text="The panel's view of the report, the presentation and the analysis, and "
        "any training or development needs.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={
            "required": "Enter the collated feedback",
            "max_length": "Enter 10,000 characters or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        service_manager: str | None = None,
        to_service_manager: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = ["summary"]
        if service_manager:
            self.fields["to_service_manager"] = forms.BooleanField(
                label=f"Send a copy to the service manager, {service_manager}",
                required=False,
                initial=to_service_manager,
            )
            fields.append("to_service_manager")
        self.helper = gds_helper(*fields, label_size=Size.SMALL, legend_size=Size.SMALL)


def _staff_choice(queryset: Any, label: str, empty: str, help_text: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        empty_label=empty,
        required=False,
        help_text=help_text,
        error_messages={"invalid_choice": "Choose someone from the list"},
    )


class PanelMeetingForm(forms.Form):
    """A meeting: its date, its chair and the members sitting, all panel members of the
    organisation (`members` is their queryset)."""

    held_on = DateField(
        label="Date of the panel",
        help_text="For example, 18 12 2026",
        error_messages={"required": "Enter the date of the panel"},
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {m.pk: m for m in members}
        choices = [(m.pk, m.display_name) for m in self.people.values()]
        self.fields["chair"] = radio_field(
            label="Who chairs the panel?",
            choices=choices,
            message="Choose the panel member who chairs the panel",
            coerce=int,
        )
        self.fields["members"] = forms.TypedMultipleChoiceField(
            label="Who else is sitting?",
            help_text="Select all that apply. Each member evaluates every item.",
            choices=choices,
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Select the members sitting on the panel",
                "invalid_choice": "Select the members sitting from the list",
            },
        )
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def clean_held_on(self) -> datetime.date:
        held_on: datetime.date = self.cleaned_data["held_on"]
        today = timezone.localdate()
        if abs((held_on - today).days) > 366:
            raise forms.ValidationError("Enter a date within a year of today")
        return held_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chair = data.get("chair")
        members = [pk for pk in data.get("members", []) if pk != chair]
        if chair is not None and "members" in data and not members:
            self.add_error("members", "Select at least one member sitting besides the chair")
        data["members"] = [self.people[pk] for pk in members]
        if chair is not None:
            data["chair"] = self.people[chair]
        return data


class PanelItemForm(forms.Form):
    """An item: the case by its child's or adopter's ID, what the panel considers, who
    presents it and hears the feedback (the case's own people unless chosen)."""

    case_reference = forms.CharField(
        label="The child's or adopter's ID",
        help_text="The ID on their record, for example CH000123.",
        max_length=40,
        error_messages={
            "required": "Enter the child's or adopter's ID",
            "max_length": "Enter an ID of 40 characters or fewer",
        },
    )
    kind = radio_field(
        label="What does the panel consider?",
        choices=PanelItem.Kind.choices,
        message="Choose what the panel considers",
    )
    to_service_manager = forms.BooleanField(
        label="Send a copy of the panel's feedback to the service manager",
        help_text="The manager of the case's service. The chair can change this when "
        "sending the feedback.",
        required=False,
    )

    def __init__(self, *args: Any, presenters: Any, team_managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["social_worker"] = _staff_choice(
            presenters,
            "Social worker presenting (optional)",
            "The case's allocated worker",
            "Leave this to use the worker allocated to the case.",
        )
        self.fields["team_manager"] = _staff_choice(
            team_managers,
            "Their team manager (optional)",
            "The manager of the case's team",
            "Leave this to use the manager of the case's team.",
        )
        self.order_fields(
            ["case_reference", "kind", "social_worker", "team_manager", "to_service_manager"]
        )
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)
