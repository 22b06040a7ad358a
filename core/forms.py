"""The crispy-forms-gds helper every form uses, built in one place."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Submit


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
