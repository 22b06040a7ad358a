"""Forms of the improvement plan: priorities, external reviews, entered actions, an
action's priority and details, progress updates, evidence of impact and re-audits."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper, radio_field
from governance.models import ExternalReview, ImpactEvidence, PlanAction, ReAudit

RAGS = [(k, v) for k, v in PlanAction.Rag.choices]


def _helper(form: forms.Form, submit: str) -> Any:
    """The fields only: each page wraps them in its own <form> (some post elsewhere) with
    the button named by `form.submit_label`."""
    form.submit_label = submit  # type: ignore[attr-defined]
    return gds_helper(*form.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


def _text(
    label: str, message: str, *, rows: int = 4, required: bool = True, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": message, "max_length": "Answer in 20,000 characters or fewer"},
    )


def _line(label: str, message: str, max_length: int, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        error_messages={
            "required": message,
            "max_length": f"Answer in {max_length:,} characters or fewer",
        },
        **kwargs,
    )


def _choice(
    label: str, queryset: Any, message: str, *, required: bool = False, empty: str = "None"
) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label=empty,
        error_messages={"required": message, "invalid_choice": message},
    )


class _FeedbackChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Feedback offered as evidence: when, from whom, and its first words."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.received_on:%-d %b %Y}, {obj.get_source_display()}: {obj.said[:70]}"


class PriorityForm(forms.Form):
    title = _line("Priority", "Enter the priority", 120, help_text="For example, care planning.")
    description = _text("What it is about", "", required=False)

    def __init__(
        self, *args: Any, staff: Any, submit: str = "Save the priority", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"] = _choice("Lead", staff, "Choose a lead from the list")
        self.helper = _helper(self, submit=submit)


class ReviewForm(forms.Form):
    kind = radio_field(
        label="What kind of review?",
        choices=ExternalReview.Kind.choices,
        message="Choose the kind of review",
    )
    title = _line(
        "Title",
        "Enter the review's title",
        160,
        help_text="For example, ILACS inspection, March 2026.",
    )
    reported_on = DateField(
        label="Reported on",
        help_text="For example, 14 3 2026",
        error_messages={"required": "Enter the date the review reported"},
    )
    summary = _text("Summary of its findings", "", rows=5, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self, submit="Save the review")

    def clean_reported_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["reported_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date the review reported must be today or in the past")
        return day


def _due(required: bool) -> DateField:
    return DateField(
        label="Due by",
        help_text="For example, 30 6 2027",
        required=required,
        error_messages={"required": "Enter the date the action is due"},
    )


class ActionForm(forms.Form):
    """An action entered in the plan; the board's fields show for a board decision."""

    title = _line("The action", "Enter the action", 300)
    detail = _text("More detail", "", required=False)
    due_on = _due(required=True)

    def __init__(self, *args: Any, source: str, staff: Any, priorities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = source
        self.fields["owner"] = _choice(
            "Owner", staff, "Choose the action's owner", required=True, empty="Choose an owner"
        )
        self.fields["priority"] = _choice(
            "Priority",
            priorities,
            "Choose a priority from the list",
            empty="Not yet under a priority",
        )
        if source == PlanAction.Source.BOARD:
            self.fields["decided_by"] = _line(
                "Which board decided it",
                "Enter the board",
                120,
                help_text="For example, Quality Improvement Board.",
            )
            self.fields["decided_on"] = DateField(
                label="Decided on",
                help_text="For example, 2 12 2026",
                error_messages={"required": "Enter the date of the decision"},
            )
        if source == PlanAction.Source.INSPECTION:
            self.fields["title"].label = "The recommendation"
            self.fields["title"].error_messages["required"] = "Enter the recommendation"
        self.helper = _helper(self, submit="Add to the plan")

    def clean_due_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return day


class EditForm(forms.Form):
    """An action's priority; for an entered action, its details too."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(
        self, *args: Any, action: PlanAction, staff: Any, priorities: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"] = _choice(
            "Priority",
            priorities,
            "Choose a priority from the list",
            empty="Not yet under a priority",
        )
        if not action.is_gathered:
            self.fields["title"] = _line("The action", "Enter the action", 300)
            self.fields["detail"] = _text("More detail", "", required=False)
            self.fields["owner"] = _choice(
                "Owner", staff, "Choose the action's owner", required=True, empty="Choose an owner"
            )
            self.fields["due_on"] = _due(required=True)
        self.helper = _helper(self, submit="Save changes")


class UpdateForm(forms.Form):
    text = _text("Progress update", "Enter what has happened since the last update")
    rag = radio_field(
        label="How is it going?",
        choices=RAGS,
        message="Choose red, amber or green",
        help_text="Red: off track. Amber: at risk. Green: on track.",
    )

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if statuses:
            self.fields["status"] = radio_field(
                label="Does this change the action's status?",
                choices=[("", "No change"), *statuses],
                message="Choose the status from the list",
                required=False,
                initial="",
            )
        self.helper = _helper(self, submit="Add the update")


class EvidenceForm(forms.Form):
    kind = radio_field(
        label="What shows the impact?",
        choices=ImpactEvidence.Kind.choices,
        message="Choose what shows the impact",
    )
    summary = _text("What it shows", "Enter what the evidence shows", rows=3)
    indicator = forms.ChoiceField(
        label="Indicator (for a change in an indicator)", required=False, choices=[]
    )
    before_month = forms.ChoiceField(
        label="The month before (for an indicator)", required=False, choices=[]
    )
    after_month = forms.ChoiceField(
        label="The month after (for an indicator)",
        help_text="The organisation's values in these months are read from the figures.",
        required=False,
        choices=[],
    )

    def __init__(
        self,
        *args: Any,
        re_audits: Any,
        indicators: list[tuple[str, str]],
        feedback: Any,
        months: list[datetime.date],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        month_choices = [("", "Choose a month")] + [(m.isoformat(), f"{m:%B %Y}") for m in months]
        for name in ("before_month", "after_month"):
            self.fields[name].choices = month_choices
            self.fields[name].error_messages["invalid_choice"] = "Choose a month from the list"
        self.fields["re_audit"] = _choice(
            "Re-audit (for a re-audit)",
            re_audits,
            "Choose one of this action's re-audits",
            empty="Choose a re-audit",
        )
        self.fields["indicator"].choices = [("", "Choose an indicator"), *indicators]
        self.fields["indicator"].error_messages["invalid_choice"] = (
            "Choose an indicator from the list"
        )
        self.fields["feedback"] = _FeedbackChoice(
            label="Feedback (for feedback)",
            queryset=feedback,
            required=False,
            empty_label="Choose feedback",
            error_messages={"invalid_choice": "Choose feedback from the list"},
        )
        self.helper = _helper(self, submit="Link the evidence")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ImpactEvidence.Kind.RE_AUDIT and not data.get("re_audit"):
            self.add_error("re_audit", "Choose one of this action's re-audits")
        if kind == ImpactEvidence.Kind.INDICATOR:
            for name, message in (
                ("indicator", "Choose the indicator"),
                ("before_month", "Choose the month before"),
                ("after_month", "Choose the month after"),
            ):
                if not data.get(name):
                    self.add_error(name, message)
            before, after = data.get("before_month"), data.get("after_month")
            if before and after and before >= after:
                self.add_error("after_month", "The month after must come after the month before")
        if kind == ImpactEvidence.Kind.FEEDBACK and not data.get("feedback"):
            self.add_error("feedback", "Choose the feedback")
        for name in ("before_month", "after_month"):
            data[name] = datetime.date.fromisoformat(data[name]) if data.get(name) else None
        return data


class ReAuditForm(forms.Form):
    mode = radio_field(
        label="Re-audit how?",
        choices=ReAudit.Mode.choices,
        message="Choose the same cases or a fresh dip sample",
    )
    due_on = DateField(
        label="Due by",
        help_text="For example, 31 3 2027",
        error_messages={"required": "Enter the date the re-audit is due"},
    )

    def __init__(self, *args: Any, same_cases: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not same_cases:
            # Nothing audited behind the action: only a fresh sample can test it.
            self.fields["mode"].choices = [
                (ReAudit.Mode.DIP_SAMPLE, "A fresh dip sample, planned in the thematic planner")
            ]
            self.fields["mode"].initial = ReAudit.Mode.DIP_SAMPLE
        self.helper = _helper(self, submit="Ask for the re-audit")

    def clean_due_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["due_on"]
        if day <= timezone.localdate():
            raise forms.ValidationError("The re-audit's due date must be in the future")
        return day
