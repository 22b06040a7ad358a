"""Forms for complaints and compliments: recording one, a stage's response with an
outcome for each point, an extension, escalation, closing, learning, actions, the list's
filters; recording a compliment."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper, radio_field
from feedback.models.complaints import (
    COMPLAINANT_TYPES,
    Complaint,
    ComplaintPoint,
    Outcome,
    PersonType,
    Stage,
)

TEXT_LIMIT = 20000


def _helper(form: forms.Form) -> Any:
    return gds_helper(*form.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


def _text(
    label: str, message: str = "", help_text: str = "", rows: int = 5, **kwargs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=bool(message),
        max_length=TEXT_LIMIT,
        error_messages={
            "required": message,
            "max_length": "Answer in 20,000 characters or fewer",
        },
        **kwargs,
    )


def _date(label: str, message: str, help_text: str = "For example, 18 12 2026") -> DateField:
    return DateField(label=label, help_text=help_text, error_messages={"required": message})


def _not_future(day: datetime.date, what: str) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(f"{what} must be today or in the past")
    return day


def _choice(queryset: Any, label: str, message: str, empty: str, **kwargs: Any) -> Any:
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        empty_label=empty,
        error_messages={"required": message, "invalid_choice": f"{empty} from the list"},
        **kwargs,
    )


class ComplaintForm(forms.Form):
    received_on = _date("Date received", "Enter the date the complaint was received")
    complainant_type = radio_field(
        label="Who is complaining?",
        choices=COMPLAINANT_TYPES,
        message="Choose who is complaining",
    )
    complainant_name = forms.CharField(
        label="Their name (optional)",
        help_text="Only if they gave it.",
        required=False,
        max_length=160,
        error_messages={"max_length": "Enter a name of 160 characters or fewer"},
    )
    case_reference = forms.CharField(
        label="The child's or adopter's ID (optional)",
        help_text="If the complaint is about a child's or family's case: their ID on their record.",
        required=False,
        max_length=40,
        error_messages={"max_length": "Enter an ID of 40 characters or fewer"},
    )
    summary = _text(
        "The complaint in their words",
        "Enter the complaint in the complainant's words",
        rows=6,
    )
    points = _text(
        "Points of complaint",
        "Enter at least one point of complaint",
        help_text="One point a line. Each gets its own outcome at each stage.",
        rows=5,
    )

    def __init__(self, *args: Any, teams: Any, services: Any, officers: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["team"] = _choice(
            teams,
            "Team (optional)",
            "Choose a team",
            "Choose a team",
            required=False,
            help_text="If it is about a team and not one case. A case's team is used otherwise.",
        )
        self.fields["service"] = _choice(
            services,
            "Service (optional)",
            "Choose a service",
            "Choose a service",
            required=False,
            help_text="If it is about a whole service.",
        )
        self.fields["officer"] = _choice(
            officers,
            "Officer responding at stage 1 (optional)",
            "Choose an officer",
            "Choose a person",
            required=False,
        )
        self.order_fields(
            [
                "received_on",
                "complainant_type",
                "complainant_name",
                "case_reference",
                "team",
                "service",
                "summary",
                "points",
                "officer",
            ]
        )
        self.helper = _helper(self)

    def clean_received_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["received_on"], "The date received")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("case_reference") or data.get("team") or data.get("service")):
            if not {"case_reference", "team", "service"} & set(self.errors):
                self.add_error(
                    "case_reference",
                    "Enter the child's or adopter's ID, or choose a team or service",
                )
        return data

    def point_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["points"].splitlines() if line.strip()]


class RespondForm(forms.Form):
    """The stage's response, and an outcome for each point of complaint."""

    responded_on = _date("Date of the response", "Enter the date of the response")
    response = _text(
        "Summary of the response (optional)",
        help_text="What the response said, in a few lines.",
        rows=4,
    )

    def __init__(self, *args: Any, points: list[ComplaintPoint], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points = points
        for point in points:
            self.fields[f"point_{point.pk}"] = radio_field(
                label=f"Point {point.number}: {point.text}",
                choices=Outcome.choices,
                message=f"Choose an outcome for point {point.number}",
            )
        self.helper = _helper(self)

    def clean_responded_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["responded_on"], "The date of the response")

    def outcomes(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"point_{p.pk}"] for p in self.points}


class ExtendForm(forms.Form):
    extended_due_on = _date(
        "New due date", "Enter the new due date", help_text="For example, 15 1 2027"
    )
    reason = _text("Reason for the extension", "Enter the reason for the extension", rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class EscalateForm(forms.Form):
    requested_on = _date(
        "When did the complainant ask for the next stage?",
        "Enter the date the complainant asked for the next stage",
    )

    def __init__(self, *args: Any, officers: Any, stage: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        label = "Investigating officer" if stage == Stage.INVESTIGATION else "Officer"
        self.fields["officer"] = _choice(
            officers, f"{label} (optional)", "Choose an officer", "Choose a person", required=False
        )
        self.helper = _helper(self)

    def clean_requested_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["requested_on"], "The date they asked")


class CloseForm(forms.Form):
    closed_on = _date("Date closed", "Enter the date the complaint was closed")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)

    def clean_closed_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["closed_on"], "The date closed")


class LearningForm(forms.Form):
    learning = _text(
        "What we have learned",
        help_text="What the complaint teaches the service, for the learning reports.",
        rows=6,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class PointForm(forms.Form):
    text = _text("Point of complaint", "Enter the point of complaint", rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class ActionForm(forms.Form):
    description = _text("What needs to be done", "Enter what needs to be done", rows=3)
    due_on = _date("By when", "Enter the date it is due by", help_text="For example, 27 3 2027")

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _choice(
            owners, "Who will do it", "Choose who will do it", "Choose a person"
        )
        self.order_fields(["description", "owner", "due_on"])
        self.helper = _helper(self)

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The date it is due by must be today or in the future")
        return due_on


TIMELINESS_CHOICES = [
    ("", "Any"),
    ("on_time", "Responded within timescale"),
    ("late", "Responded late"),
    ("overdue", "Open and overdue"),
    ("open", "Open, within timescale"),
]


class ComplaintFilterForm(forms.Form):
    """The list's filters, and the figures' links. Anything else is ignored, never an error."""

    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Complaint.Status.choices]
    )
    stage = forms.TypedChoiceField(
        label="Stage",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Any stage"), *((str(v), label) for v, label in Stage.choices)],
    )
    timeliness = forms.ChoiceField(
        label="Timeliness of the stage", required=False, choices=TIMELINESS_CHOICES
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)
    quarter = forms.DateField(required=False, widget=forms.HiddenInput)
    since = forms.DateField(required=False, widget=forms.HiddenInput)
    due_by = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            "status",
            "stage",
            "timeliness",
            "overdue",
            "quarter",
            "since",
            "due_by",
            submit="Apply filters",
        )
        self.helper.form_method = "get"

    def values(self) -> dict[str, Any]:
        """The filters that are valid; each invalid one is dropped on its own."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "status": data.get("status") or "",
            "stage": data.get("stage"),
            "timeliness": data.get("timeliness") or "",
            "overdue": bool(data.get("overdue")),
            "quarter": data.get("quarter"),
            "since": data.get("since"),
            "due_by": data.get("due_by"),
        }


class ComplimentForm(forms.Form):
    received_on = _date("Date received", "Enter the date the compliment was received")
    from_type = radio_field(
        label="Who is it from?", choices=PersonType.choices, message="Choose who it is from"
    )
    from_name = forms.CharField(
        label="Their name (optional)",
        required=False,
        max_length=160,
        error_messages={"max_length": "Enter a name of 160 characters or fewer"},
    )
    what_they_said = _text("What they said", "Enter what they said", rows=5)

    def __init__(self, *args: Any, workers: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"] = _choice(
            workers,
            "Which worker is it about? (optional)",
            "Choose a worker",
            "Choose a person",
            required=False,
            help_text="Their team manager is told too.",
        )
        self.fields["team"] = _choice(
            teams,
            "Which team is it about? (optional)",
            "Choose a team",
            "Choose a team",
            required=False,
            help_text="Leave it for the worker's own team.",
        )
        self.order_fields(
            ["received_on", "from_type", "from_name", "worker", "team", "what_they_said"]
        )
        self.helper = _helper(self)

    def clean_received_on(self) -> datetime.date:
        return _not_future(self.cleaned_data["received_on"], "The date received")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("worker") or data.get("team")) and not {"worker", "team"} & set(
            self.errors
        ):
            self.add_error("worker", "Choose the worker or the team the compliment is about")
        return data
