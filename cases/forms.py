"""Forms every app that makes one-use family links shares (cases/links.py)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from cases.links import DEFAULT_DAYS, MAX_DAYS
from core.forms import gds_helper


class FamilyLinkForm(forms.Form):
    """Making a one-use link for a family: who it is for (staff see this only), and for
    how long. An app whose family page differs for a child adds an `audience` question
    (a radios field) and it comes first; with `submit` the form has its own button,
    without it the page's own form posts the fields."""

    recipient = forms.CharField(
        label="Their name or how you know them (optional)",
        help_text="Only staff see this, for example ‘Mum’ or ‘Jo (14)’.",
        required=False,
        max_length=80,
        error_messages={"max_length": "Write 80 characters or fewer"},
    )
    days = forms.IntegerField(
        label="How many days should the link work for?",
        initial=DEFAULT_DAYS,
        min_value=1,
        max_value=MAX_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "Enter how many days the link should work for",
            "invalid": "Enter how many days as a number, like 14",
            "min_value": f"The link must work for between 1 and {MAX_DAYS} days",
            "max_value": f"The link must work for between 1 and {MAX_DAYS} days",
        },
    )

    def __init__(self, *args: Any, submit: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        layout = [Field.text("recipient", field_width=20), Field.text("days", field_width=3)]
        if "audience" in self.fields:
            self.order_fields(["audience", "recipient", "days"])
            layout.insert(0, Field.radios("audience", legend_size=Size.SMALL))
        self.helper = gds_helper(*layout, submit=submit, label_size=Size.SMALL)
