"""The board's range: how many months its charts show."""

from __future__ import annotations

from typing import Any

from django import forms

from core.forms import gds_helper
from governance.board import DEFAULT_RANGE, RANGES


class RangeForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Months shown",
        choices=[(n, f"The last {n} months") for n in RANGES],
        coerce=int,
        required=False,
        initial=DEFAULT_RANGE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper("months", submit="Show")
        self.helper.form_method = "get"

    def months_shown(self) -> int:
        """The months asked for; the default for anything else."""
        if self.is_valid() and self.cleaned_data["months"] in RANGES:
            return int(self.cleaned_data["months"])
        return DEFAULT_RANGE
