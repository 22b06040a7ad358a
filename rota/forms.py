"""Forms for the QA rota: generate a rota, the QA rules, filter the rota, and change a slot
(swap its case, reassign it, defer it or skip it).

They check the shape of the input only; whether the rota may be made or changed as asked
is the services' call (rota/services.py), which refuse with a RotaError.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.layout import Field, Hidden, Size
from django import forms

from cases.models import Service, StaffMember, Team
from core.forms import gds_helper, radio_field
from rota.models import Activity, QARules
from rota.selectors import STATE_LABELS, month_label

REASON_MAX_LENGTH = 1000
REFERENCE_MAX_LENGTH = 40
MONTHS = [(n, calendar.month_name[n]) for n in range(1, 13)]
# Tier 0 is "Not a manager": nobody below team manager takes slots.
TIERS = [(value, label) for value, label in StaffMember.Tier.choices if value >= 1]
DAYS_MAX = 365


def _iso(month: datetime.date) -> str:
    return month.isoformat()


class MonthChoiceField(forms.TypedChoiceField):
    """A month (its first day) from a list, posted as YYYY-MM-DD."""

    def __init__(self, *, months: Iterable[datetime.date] = (), **kwargs: Any) -> None:
        super().__init__(coerce=datetime.date.fromisoformat, **kwargs)
        self.set_months(months)

    def set_months(self, months: Iterable[datetime.date], empty: str = "") -> None:
        choices = [(_iso(month), month_label(month)) for month in months]
        self.choices = [("", empty), *choices] if empty and choices else choices


class GenerateForm(forms.Form):
    starts_on = MonthChoiceField(
        label="First month of the rota",
        help_text="The rota runs for 12 months from the first day of this month. Paused "
        "months have no QA activity.",
        error_messages={
            "required": "Select the first month of the rota",
            "invalid_choice": "Select the first month of the rota from the list",
        },
    )

    def __init__(
        self, *args: Any, months: list[datetime.date], action: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].set_months(months)
        if len(months) > 1 and not self.is_bound:
            self.initial.setdefault("starts_on", _iso(months[1]))
        self.helper = gds_helper(
            Field.select("starts_on"), submit="Generate rota", action=action or None
        )


class IntChoicesField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, required=False, widget=forms.CheckboxSelectMultiple, **kwargs)


def _days(label: str, help_text: str, what: str, minimum: int) -> forms.IntegerField:
    message = f"{what} must be a whole number from {minimum} to {DAYS_MAX}"
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        min_value=minimum,
        max_value=DAYS_MAX,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {what.lower()}",
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
    )


class RulesForm(forms.Form):
    paused_months = IntChoicesField(
        label="Paused months",
        help_text="Months with no QA activity, used to reflect on and embed the learning. "
        "Usually August and December. Select all that apply.",
        choices=MONTHS,
        error_messages={"invalid_choice": "Select paused months from the list"},
    )
    activities = forms.MultipleChoiceField(
        label="QA activities",
        help_text="Managers take these in turn, one after another. Select all that apply.",
        choices=Activity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select QA activities from the list"},
    )
    eligible_tiers = IntChoicesField(
        label="Managers on the rota",
        help_text="Managers of these tiers get slots. Select all that apply.",
        choices=TIERS,
        error_messages={"invalid_choice": "Select tiers of manager from the list"},
    )
    quota_period = radio_field(
        label="How often is the quota counted?",
        choices=QARules.QuotaPeriod.choices,
        message="Select how often the quota is counted",
    )
    quota = forms.IntegerField(
        label="Quota",
        help_text="How many QA activities each manager does in each month or quarter.",
        min_value=1,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the quota",
            "invalid": "The quota must be a whole number, like 1",
            "min_value": "The quota must be 1 or more",
        },
    )
    reminder_days = _days(
        "Reminder (days before due)",
        "Managers are reminded this many days before a QA activity is due.",
        "Reminder days",
        0,
    )
    escalation_days = _days(
        "Escalation (days overdue)",
        "Work this many days overdue is escalated to the QA service and senior leaders.",
        "Escalation days",
        1,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.checkboxes("paused_months", legend_size=Size.MEDIUM, small=True),
            Field.checkboxes("activities", legend_size=Size.MEDIUM, small=True),
            Field.checkboxes("eligible_tiers", legend_size=Size.MEDIUM, small=True),
            Field.radios("quota_period", legend_size=Size.MEDIUM, small=True),
            Field.text("quota", label_size=Size.MEDIUM, field_width=2),
            Field.text("reminder_days", label_size=Size.SMALL, field_width=3),
            Field.text("escalation_days", label_size=Size.SMALL, field_width=3),
            submit="Save rules",
        )

    @classmethod
    def initial_for(cls, rules: QARules) -> dict[str, Any]:
        return {
            "paused_months": list(rules.paused_months or ()),
            "activities": list(rules.activities or ()),
            "eligible_tiers": list(rules.eligible_tiers or ()),
            "quota_period": rules.quota_period,
            "quota": rules.quota,
            "reminder_days": rules.reminder_days,
            "escalation_days": rules.escalation_days,
        }


class RotaFilterForm(forms.Form):
    """The rota page's filters. Anything not in the lists is ignored, never an error page."""

    team = forms.TypedChoiceField(label="Team", coerce=int, required=False, empty_value=None)
    service = forms.TypedChoiceField(label="Service", coerce=int, required=False, empty_value=None)
    activity = forms.ChoiceField(
        label="Activity", choices=[("", "All activities"), *Activity.choices], required=False
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("", "All statuses"), *STATE_LABELS.items()],
        required=False,
    )

    def __init__(
        self, *args: Any, teams: Iterable[Team], services: Iterable[Service], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", "All teams")] + [(t.pk, t.name) for t in teams]
        self.fields["service"].choices = [("", "All services")] + [(s.pk, s.name) for s in services]

    def values(self) -> dict[str, Any]:
        """The valid filters; a value that is not in its list is dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in getattr(self, "cleaned_data", {}).items()
            if name not in self.errors and value not in (None, "")
        }


class SlotChangeForm(forms.Form):
    """What every change to a slot needs: the reason, kept in the slot's history."""

    action = ""
    submit = ""
    reason_label = "Reason for the change"

    reason = forms.CharField(
        label="Reason for the change",
        help_text="This is kept in the slot's history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Enter the reason for the change",
            "max_length": f"The reason must be {REASON_MAX_LENGTH} characters or fewer",
        },
    )

    def __init__(self, *args: Any, url: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = self.reason_label
        self.helper = gds_helper(
            Hidden("action", self.action),
            *self.layout_fields(),
            Field.textarea("reason", rows=3),
            submit=self.submit,
            action=url,
        )

    def layout_fields(self) -> list[Any]:
        return []


class SwapCaseForm(SlotChangeForm):
    action = "swap"
    submit = "Swap the case"
    reason_label = "Why swap the case?"

    reference = forms.CharField(
        label="Child's or adopter's ID",
        help_text="An open case of this organisation, for example KF00012.",
        max_length=REFERENCE_MAX_LENGTH,
        error_messages={
            "required": "Enter the child's or adopter's ID",
            "max_length": f"The ID must be {REFERENCE_MAX_LENGTH} characters or fewer",
        },
    )

    def layout_fields(self) -> list[Any]:
        return [Field.text("reference", field_width=10)]

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip()


def manager_label(manager: StaffMember) -> str:
    if manager.team_id:
        where = manager.team.name
    elif manager.service_id:
        where = manager.service.name
    else:
        where = ""
    role = manager.get_role_display()
    return f"{manager.display_name} ({role}{', ' + where if where else ''})"


class ReassignForm(SlotChangeForm):
    action = "reassign"
    submit = "Reassign the slot"
    reason_label = "Why reassign it?"

    manager = forms.TypedChoiceField(
        label="New manager",
        coerce=int,
        error_messages={
            "required": "Select the manager to take the slot",
            "invalid_choice": "Select a manager from the list",
        },
    )

    def __init__(self, *args: Any, managers: list[StaffMember], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.managers = {m.pk: m for m in managers}
        self.fields["manager"].choices = [("", "Choose a manager")] + [
            (m.pk, manager_label(m)) for m in managers
        ]

    def layout_fields(self) -> list[Any]:
        return [Field.select("manager")]

    def clean_manager(self) -> StaffMember:
        return self.managers[self.cleaned_data["manager"]]


class DeferForm(SlotChangeForm):
    action = "defer"
    submit = "Defer the slot"
    reason_label = "Why defer it?"

    to_month = MonthChoiceField(
        label="Defer to",
        help_text="A later month of the rota that is not paused.",
        error_messages={
            "required": "Select the month to defer to",
            "invalid_choice": "Select a month from the list",
        },
    )

    def __init__(self, *args: Any, months: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_month"].set_months(months, empty="Choose a month")

    def layout_fields(self) -> list[Any]:
        return [Field.select("to_month")]


class SkipForm(SlotChangeForm):
    action = "skip"
    submit = "Skip the slot"
    reason_label = "Why skip it?"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "reason"
        ].help_text = (
            "For example, the manager is on leave this month. This is kept in the slot's history."
        )
