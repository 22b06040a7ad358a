"""The form that records a change to a measure's process."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper
from governance.board import MEASURES


def measure_choices() -> list[tuple[str, str]]:
    return [("", "Choose a measure")] + [(m.slug, m.title) for m in MEASURES.values()]


class ProcessChangeForm(forms.Form):
    measure = forms.ChoiceField(
        choices=measure_choices, error_messages={"required": "Choose the measure"}
    )
    changed_on = DateField(
        label="Date the process changed",
        help_text="For example, 1 4 2026. The chart's limits are recalculated from that month.",
        error_messages={"required": "Enter the date the process changed"},
    )
    reason = forms.CharField(
        label="What changed",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what changed"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.select("measure"),
            Field("changed_on"),
            Field.textarea("reason"),
            submit="Record the change",
            label_size=Size.SMALL,
        )

    def clean_changed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["changed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date the process changed must be today or earlier")
        return day
