"""Forms of the scheduled reports: QA's "Generate a report", a section's narrative (with
the revision it was loaded at, against a second editor) and the boards to publish to."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.db.models import QuerySet

from core.forms import DateField, gds_helper, radio_field
from governance.models import Board, Report

MAX_LENGTH = 20000
LATEST = "latest"
ON_A_DAY = "day"


class GenerateForm(forms.Form):
    kind = radio_field(
        label="Which report?",
        choices=Report.Kind.choices,
        message="Select which report to generate",
    )
    when = radio_field(
        label="Which period?",
        choices=(
            (LATEST, "The latest period that has ended"),
            (ON_A_DAY, "The period before a day you choose"),
        ),
        message="Select which period the report covers",
    )
    day = DateField(
        label="The day",
        help_text=(
            "The report covers the whole months before this day: the month before for the "
            "monthly report, the quarter before for the quarterly. For example, 1 4 2026."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("when") == ON_A_DAY and not data.get("day") and "day" not in self.errors:
            self.add_error("day", "Enter the day the report is generated on")
        day = data.get("day")
        if isinstance(day, datetime.date) and not (2000 <= day.year <= 2100):
            self.add_error("day", "Enter a day between the years 2000 and 2100")
        return data


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Narrative",
        help_text="What the figures mean, what QA has found behind them, and what happens next.",
        required=False,
        max_length=MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"max_length": f"Write {MAX_LENGTH:,} characters or fewer"},
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"data-revision": "narrative"}),
        min_value=1,
        max_value=2**31 - 1,
        error_messages={
            "required": "Reload the page and try again",
            "invalid": "Reload the page and try again",
            "min_value": "Reload the page and try again",
            "max_value": "Reload the page and try again",
        },
    )

    def __init__(self, *args: Any, label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["text"].label = label
        self.helper = gds_helper("text", "revision", label_size=Size.MEDIUM)

    def clean(self) -> dict[str, Any]:
        # A hidden field's error has nowhere to show: the summary says it instead.
        if "revision" in self.errors:
            del self.errors["revision"]
            self.add_error(None, "Reload the page and try again")
        return super().clean() or {}


class PublishForm(forms.Form):
    boards = forms.ModelMultipleChoiceField(
        label="Which boards receive this report?",
        queryset=Board.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one board to publish the report to",
            "invalid_choice": "Select boards from the list",
            "invalid_pk_value": "Select boards from the list",
        },
    )

    def __init__(self, *args: Any, boards: QuerySet[Board], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["boards"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = boards
        self.helper = gds_helper("boards", legend_size=Size.MEDIUM)
