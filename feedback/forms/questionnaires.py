"""Questionnaire forms: the family's answers (through the one-use link, or entered by staff
from a paper copy), making a link, and the list's filters."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from cases.forms import FamilyLinkForm
from core.forms import DateField, gds_helper, radio_field
from feedback.figures_questionnaires import Half, parse_half
from feedback.models.questionnaires import SCORE_CHOICES, Questionnaire, questions_of

COMMENTS_LENGTH = 4000


def score_field_name(key: str) -> str:
    return f"q_{key}"


class QuestionnaireAnswersForm(forms.Form):
    """Each of the kind's questions on the five-point scale, and a comments box."""

    def __init__(self, *args: Any, kind: str, intro: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        # What the family reads above the questions (the link's page shows no record).
        self.intro = intro
        names = []
        for question in questions_of(kind):
            name = score_field_name(question.key)
            self.fields[name] = radio_field(
                label=question.text,
                choices=SCORE_CHOICES,
                coerce=int,
                message=f"Choose an answer for ‘{question.text}’",
            )
            names.append(name)
        self.fields["comments"] = forms.CharField(
            label="Is there anything else you want to tell us?",
            help_text="What went well, and what could we do better? Leave this empty if "
            "there is nothing to add.",
            required=False,
            max_length=COMMENTS_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={
                "max_length": f"Your comments must be {COMMENTS_LENGTH} characters or fewer"
            },
        )
        self.helper = gds_helper(
            *(Field.radios(name, legend_size=Size.SMALL) for name in names),
            Field.textarea("comments", rows=5),
        )

    def scores(self) -> dict[str, int]:
        return {
            question.key: self.cleaned_data[score_field_name(question.key)]
            for question in questions_of(self.kind)
        }


class PaperAnswersForm(QuestionnaireAnswersForm):
    """A paper copy's answers, entered by staff, and the day it came back."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, kind=kind, **kwargs)
        self.fields["answered_on"] = DateField(
            label="When did the answers come back?",
            help_text="For example, 27 3 2026",
            error_messages={"required": "Enter the date the answers came back"},
        )
        layout = list(self.helper.layout)
        self.helper = gds_helper(
            Field("answered_on"),
            *layout,
            submit="Save the answers",
        )

    def clean_answered_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["answered_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date the answers came back must be today or earlier")
        return day


class LinkForm(FamilyLinkForm):
    """A one-use link for the adopters: who it is for (for staff only), and for how long."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient"].label = "Who is it for? (optional)"
        self.fields["recipient"].help_text = "Only staff see this, for example ‘Sarah and James’."


class WithdrawLinkForm(forms.Form):
    link = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class QuestionnaireFilterForm(forms.Form):
    """The list's filters. Anything else is ignored, never an error."""

    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *Questionnaire.Kind.choices],
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any status"), *Questionnaire.Status.choices],
    )

    def __init__(self, *args: Any, halves: list[Half], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["half"] = forms.ChoiceField(
            label="Answered in",
            required=False,
            choices=[("", "Any time"), *((h.key, h.label) for h in reversed(halves))],
        )
        self.helper = gds_helper("kind", "status", "half", submit="Apply filters")
        self.helper.form_method = "get"

    def selected(self, name: str) -> str:
        if not self.is_valid():
            return ""
        return str(self.cleaned_data.get(name) or "")

    def selected_half(self) -> Half | None:
        return parse_half(self.selected("half"))
