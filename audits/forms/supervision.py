"""Forms of supervision QA: starting a supervision audit."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from core.forms import DateField, gds_helper


class StartSupervisionAuditForm(forms.Form):
    supervisee = forms.ModelChoiceField(
        queryset=None,
        label="Whose supervision",
        help_text="The member of staff whose supervision records you will audit",
        empty_label="Choose a member of staff",
        error_messages={
            "required": "Choose whose supervision to audit",
            "invalid_choice": "Choose a member of staff from the list",
        },
    )
    tool = forms.ModelChoiceField(
        queryset=None,
        label="Audit tool",
        empty_label="Choose a tool",
        error_messages={
            "required": "Choose an audit tool",
            "invalid_choice": "Choose a tool from the list",
        },
    )
    auditor = forms.ModelChoiceField(
        queryset=None,
        label="Auditor",
        empty_label="Choose a manager",
        error_messages={
            "required": "Choose who will do the audit",
            "invalid_choice": "Choose a manager from the list",
        },
    )
    period_start = DateField(
        label="Supervision records from",
        error_messages={"required": "Enter the date the supervision records start from"},
    )
    period_end = DateField(
        label="Supervision records to",
        error_messages={"required": "Enter the date the supervision records go up to"},
    )
    due_on = DateField(label="Due by", error_messages={"required": "Enter the date it is due by"})

    def __init__(
        self, *args: Any, supervisees: Any, tools: Any, auditors: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["supervisee"].queryset = supervisees  # type: ignore[attr-defined]
        fields["tool"].queryset = tools  # type: ignore[attr-defined]
        fields["auditor"].queryset = auditors  # type: ignore[attr-defined]
        self.helper = gds_helper(*fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def clean_due_on(self) -> datetime.date:
        due_on: datetime.date = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be after its start")
        if end and end > timezone.localdate():
            self.add_error("period_end", "The end of the period must be today or in the past")
        return data
