"""Forms of the Performance Exceptions returns: the team manager's five sections, the
service manager's commentary on a return, each level's summary of the month, and an
action raised on a return or a summary. Each text form carries the revision the page was
loaded at (the optimistic check against a second editor; autosave keeps it current)."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper
from governance.models import NARRATIVE_FIELDS

MAX_LENGTH = 20000

_HINTS = {
    "working_well": "Effective practice in your team, and improvements made recently.",
    "worried_about": "What worries you about practice or performance in your team.",
    "most_proud_of": "What your team has done that you are most proud of.",
    "actions": (
        "Your current priorities for the team. Raise each action with an owner and a due "
        "date below the return: those go into the improvement plan."
    ),
    "practitioners_feeling": "Staff morale: how you know, and what you are doing about it.",
}


def _text(label: str, message: str, *, required: bool, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": message,
            "max_length": f"Answer in {MAX_LENGTH:,} characters or fewer",
        },
    )


class _Revisioned(forms.Form):
    revision = forms.IntegerField(
        # data-revision: autosave (static/js/autosave.js) keeps it current.
        widget=forms.HiddenInput(attrs={"data-revision": "text"}),
        min_value=1,
        error_messages={
            "required": "Reload the page and try again",
            "invalid": "Reload the page and try again",
            "min_value": "Reload the page and try again",
        },
    )

    def clean(self) -> dict[str, Any]:
        # A hidden field's error has nowhere to show: the summary says it instead.
        if "revision" in self.errors:
            del self.errors["revision"]
            self.add_error(None, "Reload the page and try again")
        return super().clean() or {}

    def _helper(self) -> Any:
        return gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


class NarrativeForm(_Revisioned):
    """The five sections: each optional to save, all required to submit."""

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in NARRATIVE_FIELDS:
            self.fields[name] = _text(
                label,
                f"Answer \u201c{label}\u201d before you submit",
                required=submitting,
                help_text=_HINTS[name],
            )
        self.helper = self._helper()


class ReviewForm(_Revisioned):
    commentary = _text(
        "Your commentary",
        "Enter your commentary on the return",
        required=True,
        help_text="What you will take to the Performance and Outcomes meeting.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = self._helper()


class SummaryForm(_Revisioned):
    commentary = _text(
        "Your summary of the service's returns",
        "Enter your summary of the service's returns",
        required=True,
    )

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            # An upper level's summary: its own words, in the error message too.
            self.fields["commentary"].label = label
            self.fields["commentary"].error_messages["required"] = (
                f"Enter {label[0].lower()}{label[1:]}"
            )
        self.helper = self._helper()


class _OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class ReturnActionForm(forms.Form):
    """An action raised on a return or a summary: what, who and by when."""

    title = forms.CharField(
        label="The action",
        max_length=300,
        strip=True,
        error_messages={
            "required": "Enter what the action is",
            "max_length": "Describe the action in 300 characters or fewer",
        },
    )
    due_on = DateField(
        label="Due by",
        help_text="For example, 30 6 2027",
        error_messages={"required": "Enter the date the action is due"},
    )

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _OwnerChoice(
            label="Owner",
            queryset=owners,
            empty_label="Choose an owner",
            error_messages={
                "required": "Choose the action's owner",
                "invalid_choice": "Choose an owner from the list",
            },
        )
        self.order_fields(["title", "owner", "due_on"])
        self.helper = gds_helper(
            "title", "owner", "due_on", label_size=Size.SMALL, legend_size=Size.SMALL
        )

    def clean_due_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return day
