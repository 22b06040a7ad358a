"""Forms for dispute resolution: raising a challenge, a response (with an action it
agrees), escalating, closing, the organisation's timescales and the list's filters."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper, radio_field
from feedback.disputes import ChallengeFilters
from feedback.models import STAGE_ORDER, Challenge, ChallengeTheme, DisputeStage, StageOutcome


def _helper(form: forms.Form, submit: str | None = None) -> Any:
    return gds_helper(*form.fields, submit=submit, label_size=Size.SMALL, legend_size=Size.SMALL)


def _text(label: str, message: str, help_text: str = "", rows: int = 6) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=20000,
        error_messages={"required": message, "max_length": "Answer in 20,000 characters or fewer"},
    )


class RaiseForm(forms.Form):
    themes = forms.MultipleChoiceField(
        label="What is the challenge about?",
        help_text="Select all that apply.",
        choices=ChallengeTheme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select what the challenge is about",
            "invalid_choice": "Select what the challenge is about from the list",
        },
    )
    stage = radio_field(
        label="Which stage does it start at?",
        choices=DisputeStage.choices,
        initial=DisputeStage.INFORMAL,
        message="Choose the stage the challenge starts at",
        help_text="Most challenges start informally, with the team manager.",
    )
    description = _text(
        "Your challenge",
        "Enter your challenge",
        "What concerns you about the child's plan, and what you want to happen.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, submit="Raise the challenge")


class RespondForm(forms.Form):
    response = _text("Your response", "Enter your response")
    action_description = forms.CharField(
        label="An action your response agrees (optional)",
        help_text="Something that will be done because of the challenge. It joins the "
        "owner's actions until it is done.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Answer in 2,000 characters or fewer"},
    )
    action_due_on = DateField(
        label="The action is due by",
        help_text="For example, 27 3 2027",
        required=False,
        error_messages={"required": "Enter the date the action is due"},
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_owner"] = forms.ModelChoiceField(
            queryset=owners,
            label="Who will do it",
            required=False,
            empty_label="Choose a person",
            error_messages={"invalid_choice": "Choose a person from the list"},
        )
        self.order_fields(["response", "action_description", "action_owner", "action_due_on"])
        self.helper = _helper(self, submit="Send the response")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action_description", "").strip():
            if not data.get("action_owner"):
                self.add_error("action_owner", "Choose who will do the action")
            due = data.get("action_due_on")
            if not due and "action_due_on" not in self.errors:
                self.add_error("action_due_on", "Enter the date the action is due")
            elif due and due < timezone.localdate():
                self.add_error("action_due_on", "The date the action is due must be today or later")
        return data


class EscalateForm(forms.Form):
    reason = _text(
        "Why are you escalating the challenge?",
        "Enter why you are escalating the challenge",
        rows=4,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, submit="Escalate the challenge")


class ResolveForm(forms.Form):
    outcome = radio_field(
        label="How did the challenge end?",
        choices=[
            (StageOutcome.RESOLVED.value, "Resolved: the plan now meets the child's needs"),
            (StageOutcome.WITHDRAWN.value, "Withdrawn"),
        ],
        message="Choose how the challenge ended",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, submit="Close the challenge")


class TimescalesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for stage in STAGE_ORDER:
            self.fields[stage.value] = forms.IntegerField(
                label=f"{stage.label}: working days to respond",
                min_value=1,
                max_value=60,
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
                error_messages={
                    "required": f"Enter the working days for {stage.label.lower()}",
                    "invalid": "Enter a whole number of working days",
                    "min_value": "Enter a number of working days from 1 to 60",
                    "max_value": "Enter a number of working days from 1 to 60",
                },
            )
        self.helper = _helper(self, submit="Save the timescales")


class FilterForm(forms.Form):
    """The list's filters. A value that is not one of the choices is ignored."""

    stage = forms.ChoiceField(
        label="Current stage", required=False, choices=[("", "Any stage"), *DisputeStage.choices]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Challenge.Status.choices]
    )
    theme = forms.ChoiceField(
        label="About", required=False, choices=[("", "Any theme"), *ChallengeTheme.choices]
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    reached = forms.ChoiceField(
        label="Reached stage",
        required=False,
        choices=[("", "Any"), *DisputeStage.choices],
    )
    in_time = forms.BooleanField(label="Resolved within timescale only", required=False)

    def __init__(
        self, *args: Any, services: Any, months: list[datetime.date], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"] = forms.ModelChoiceField(
            queryset=services, label="Service", required=False, empty_label="Any service"
        )
        self.fields["month"] = forms.ChoiceField(
            label="Month raised",
            required=False,
            choices=[("", "Any month")]
            + [(m.strftime("%Y-%m"), m.strftime("%B %Y")) for m in months],
        )
        self.order_fields(["stage", "status", "overdue", "service", "theme", "month", "reached"])
        self.helper = gds_helper(*self.fields, submit="Filter", label_size=Size.SMALL)
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.is_valid()

    def _value(self, name: str) -> Any:
        if name in self.errors or not hasattr(self, "cleaned_data"):
            return None
        return self.cleaned_data.get(name)

    def filters(self) -> ChallengeFilters:
        month = self._value("month")
        return ChallengeFilters(
            stage=self._value("stage") or "",
            status=self._value("status") or "",
            overdue=bool(self._value("overdue")),
            service=self._value("service"),
            theme=self._value("theme") or "",
            month=datetime.date(int(month[:4]), int(month[5:7]), 1) if month else None,
            reached=self._value("reached") or "",
            in_time=bool(self._value("in_time")),
        )
