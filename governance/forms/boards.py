"""Forms of the boards and their meetings: a board (with its members, chosen from a list
narrowed by team and role), a meeting, an agenda item, the minutes and a decision. The
meeting's forms carry the revision the page was loaded at (the check against a second
editor)."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.db.models import Q, QuerySet

from core.forms import DateField, gds_helper, radio_field
from governance.models import Board, Meeting

MAX_TEXT = 20000


def _helper(form: forms.Form) -> Any:
    return gds_helper(*form.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


def _text(
    label: str, message: str, *, required: bool = True, rows: int = 4, help_text: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message,
            "max_length": f"Answer in {MAX_TEXT:,} characters or fewer",
        },
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


class StaffChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


class StaffChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return staff_label(obj)


def staff_label(staff: Any) -> str:
    where = f", {staff.team.name}" if staff.team_id else ""
    return f"{staff.display_name} ({staff.get_role_display()}{where})"


def _staff_field(
    label: str, queryset: QuerySet[Any], message: str, *, required: bool = False
) -> StaffChoice:
    return StaffChoice(
        label=label,
        queryset=queryset,
        required=required,
        empty_label="Nobody",
        error_messages={"required": message, "invalid_choice": message},
    )


class _Revisioned(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self) -> dict[str, Any]:
        # A hidden field's error has nowhere to show: the summary says it instead.
        if "revision" in self.errors:
            del self.errors["revision"]
            self.add_error(None, "Reload the page and try again")
        return super().clean() or {}


class StaffFilterForm(forms.Form):
    """Narrow the list of staff to choose members from (a GET form: no script needed)."""

    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Every team"
    )
    role = forms.ChoiceField(required=False)

    def __init__(
        self, *args: Any, teams: QuerySet[Any], roles: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["role"].choices = [("", "Every role"), *roles]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"team_id": None, "role": ""}
        team = self.cleaned_data.get("team")
        return {"team_id": team.pk if team else None, "role": self.cleaned_data.get("role") or ""}


class BoardForm(forms.Form):
    name = _line("Name", "Enter the board's name", 120)
    kind = radio_field(
        choices=Board.Kind.choices, message="Choose what kind of board it is", label="Kind"
    )
    frequency = radio_field(
        choices=Board.Frequency.choices,
        message="Choose how often it meets",
        label="How often it meets",
    )
    purpose = _text("Purpose", "", required=False)
    active = forms.BooleanField(label="The board still meets", required=False)

    def __init__(
        self,
        *args: Any,
        staff: QuerySet[Any],
        shown: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        """`staff`: the organisation's staff (what may be chosen); `shown`: the members
        listed to tick (the filtered staff and the current members)."""
        super().__init__(*args, **kwargs)
        self.fields["chair"] = _staff_field(
            "Chair", staff, "Choose the chair from your organisation's staff"
        )
        posted = [
            v
            for v in (self.data.getlist("members") if hasattr(self.data, "getlist") else [])
            if str(v).isdigit() and len(str(v)) < 10
        ]
        self.fields["members"] = StaffChoices(
            label="Members",
            help_text="Narrow the list with the team and role filter above; ticked members stay.",
            queryset=staff.filter(Q(pk__in=shown.values("pk")) | Q(pk__in=posted)),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose members from your organisation's staff",
                "invalid_pk_value": "Choose members from your organisation's staff",
            },
        )
        self.helper = _helper(self)


class MeetingForm(forms.Form):
    date = DateField(label="Date", error_messages={"required": "Enter the date of the meeting"})
    time = forms.TimeField(
        label="Time (optional)",
        required=False,
        input_formats=["%H:%M", "%H.%M"],
        help_text="For example, 14:30",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"invalid": "Enter the time as hours and minutes, for example 14:30"},
    )
    place = _line("Place (optional)", "", 200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)

    def clean_date(self) -> datetime.date:
        value = self.cleaned_data["date"]
        if value is not None and not (2000 <= value.year <= 2100):
            raise forms.ValidationError("Enter a date between 2000 and 2100")
        return value


class MeetingEditForm(_Revisioned, MeetingForm):
    status = radio_field(
        choices=Meeting.Status.choices,
        message="Choose whether the meeting is planned, held or cancelled",
        label="Status",
    )


class AgendaItemForm(_Revisioned):
    title = _line("Item", "Enter the agenda item", 200)

    def __init__(
        self,
        *args: Any,
        staff: QuerySet[Any],
        reports: QuerySet[Any],
        priorities: QuerySet[Any],
        months: list[datetime.date],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presenter"] = _staff_field(
            "Presenter (optional)", staff, "Choose a presenter from your organisation's staff"
        )
        self.fields["notes"] = _text("Notes (optional)", "", required=False, rows=3)
        self.fields["report"] = forms.ModelChoiceField(
            label="Report to review (optional)",
            queryset=reports,
            required=False,
            empty_label="None",
            error_messages={"invalid_choice": "Choose one of your organisation's reports"},
        )
        self.fields["returns_month"] = forms.TypedChoiceField(
            label="Month of exceptions returns to review (optional)",
            choices=[("", "None"), *((f"{m:%Y-%m}", f"{m:%B %Y}") for m in months)],
            coerce=lambda v: datetime.date.fromisoformat(f"{v}-01"),
            required=False,
            empty_value=None,
            error_messages={"invalid_choice": "Choose a month from the list"},
        )
        self.fields["priority"] = forms.ModelChoiceField(
            label="Improvement plan priority (optional)",
            queryset=priorities,
            required=False,
            empty_label="None",
            error_messages={"invalid_choice": "Choose one of your organisation's priorities"},
        )
        self.helper = _helper(self)


class MinutesForm(_Revisioned):
    minutes = _text("Minutes", "Enter the minutes of the meeting", rows=10)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class DecisionForm(forms.Form):
    text = _text("Decision", "Enter the decision", rows=3)

    def __init__(
        self, *args: Any, staff: QuerySet[Any], priorities: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _staff_field(
            "Owner (optional)", staff, "Choose an owner from your organisation's staff"
        )
        self.fields["due_on"] = DateField(
            label="Due date (optional)",
            required=False,
            help_text=(
                "With an owner and a due date the decision becomes an improvement plan action."
            ),
        )
        self.fields["priority"] = forms.ModelChoiceField(
            label="Improvement plan priority (optional)",
            queryset=priorities,
            required=False,
            empty_label="None",
            error_messages={"invalid_choice": "Choose one of your organisation's priorities"},
        )
        self.helper = _helper(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        owner, due = data.get("owner"), data.get("due_on")
        if not self.errors and (owner is None) != (due is None):
            self.add_error(
                "due_on" if owner else "owner",
                "Give the decision both an owner and a due date, or neither",
            )
        return data
