"""Forms for adoption panel evaluations: a member's form on an item (every rating
required, so nothing partial is saved) and the chair's collated copy."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Size
from django import forms

from core.forms import gds_helper, radio_field
from feedback.models import Question, Rating

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

    def __init__(self, *args: Any, service_manager: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = ["summary"]
        if service_manager:
            self.fields["to_service_manager"] = forms.BooleanField(
                label=f"Send a copy to the service manager, {service_manager}",
                required=False,
            )
            fields.append("to_service_manager")
        self.helper = gds_helper(*fields, label_size=Size.SMALL, legend_size=Size.SMALL)
