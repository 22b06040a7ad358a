"""What every form shares, built in one place: the crispy-forms-gds helper, the GOV.UK
radios question and the GOV.UK date input."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit
from django import forms


def gds_helper(
    *fields: Any,
    submit: str | None = None,
    submit_name: str = "submit",
    action: str | None = None,
    label_size: str | None = None,
    legend_size: str | None = None,
) -> FormHelper:
    """A GOV.UK form helper: the browser's own validation off, so GOV.UK messages show;
    with `submit`, a form of its own with that button; without, fields that render
    inside the page's own <form> (no form tag, no second CSRF token)."""
    helper = FormHelper()
    helper.attrs = {"novalidate": ""}
    if action:
        helper.form_action = action
    if label_size:
        helper.label_size = label_size
    if legend_size:
        helper.legend_size = legend_size
    items = [*fields, Submit(submit_name, submit)] if submit else list(fields)
    if items:
        helper.layout = Layout(*items)
    if not submit:
        helper.form_tag = False
        helper.disable_csrf = True
    return helper


def radio_field(
    *,
    choices: Any,
    message: str,
    invalid: str | None = None,
    coerce: Callable[[Any], Any] | None = None,
    **kwargs: Any,
) -> forms.ChoiceField:
    """A GOV.UK radios question. `message` is shown when nothing is chosen and, unless
    `invalid` says otherwise, when the value sent is not one of the choices (only an
    altered form sends one). `coerce` makes it a typed choice; the rest (label, initial,
    required, help_text) passes to the field."""
    error_messages = {"required": message, "invalid_choice": invalid or message}
    if coerce is not None:
        return forms.TypedChoiceField(
            choices=choices,
            coerce=coerce,
            widget=forms.RadioSelect,
            error_messages=error_messages,
            **kwargs,
        )
    return forms.ChoiceField(
        choices=choices, widget=forms.RadioSelect, error_messages=error_messages, **kwargs
    )


class DateField(DateInputField):
    """GOV.UK's date input (day, month, year boxes) with its wording for mistakes."""

    def __init__(self, *, error_messages: dict[str, str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("required", True)
        super().__init__(**kwargs)
        self.error_messages.update(
            {"required": "Enter the date", "incomplete": "Enter the day, month and year"}
        )
        self.error_messages.update(error_messages or {})

    def compress(self, data_list: list[str]) -> datetime.date | None:
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError) as error:
            raise forms.ValidationError("Enter a real date, for example 27 3 2027") from error
