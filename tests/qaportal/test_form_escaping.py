"""Form labels, legends, hints and choices are escaped, whatever crispy-forms-gds path draws them.

crispy-forms-gds prints labels and hints with |safe; templates/gds/ overrides those
templates without it, because labels and hints can be what people typed.
"""

from __future__ import annotations

import re
from pathlib import Path

import crispy_forms_gds
import pytest
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.utils.html import format_html

MARKUP = "<script>alert(1)</script><b>x</b>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
PACKAGE_TEMPLATES = Path(crispy_forms_gds.__file__).parent / "templates" / "gds"
OVERRIDES = ("field.html", "layout/radios.html", "layout/checkboxes.html")
OVERRIDES += ("layout/multifield.html", "layout/help_text.html")


def _form(**fields: forms.Field) -> forms.Form:
    form = type("MarkupForm", (forms.Form,), dict(fields))()
    form.helper = FormHelper()
    form.helper.form_tag = False
    return form


def _render(form: forms.Form) -> str:
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


FIELDS = {
    "text input": forms.CharField(label=MARKUP, help_text=MARKUP),
    "single checkbox": forms.BooleanField(label=MARKUP, help_text=MARKUP),
    "radios": forms.ChoiceField(
        label=MARKUP, help_text=MARKUP, choices=[("a", MARKUP)], widget=forms.RadioSelect
    ),
    "checkboxes": forms.MultipleChoiceField(
        label=MARKUP,
        help_text=MARKUP,
        choices=[("a", MARKUP)],
        widget=forms.CheckboxSelectMultiple,
    ),
    "select": forms.ChoiceField(label=MARKUP, help_text=MARKUP, choices=[("a", MARKUP)]),
    "date input": DateInputField(label=MARKUP, help_text=MARKUP),
}


@pytest.mark.parametrize("inline_hint", [False, True], ids=["hint block", "hint inline"])
@pytest.mark.parametrize("kind", FIELDS)
def test_markup_in_a_label_hint_or_choice_is_shown_as_text(kind, inline_hint):
    form = _form(answer=FIELDS[kind])
    form.helper.help_text_inline = inline_hint
    html = _render(form)
    assert "<script>" not in html
    assert "<b>" not in html
    assert ESCAPED in html


def test_a_label_built_with_format_html_keeps_its_markup():
    label = format_html("Name <span class='govuk-visually-hidden'>of {}</span>", MARKUP)
    html = _render(_form(name=forms.CharField(label=label)))
    assert f"Name <span class='govuk-visually-hidden'>of {ESCAPED}</span>" in html


@pytest.mark.parametrize("name", OVERRIDES)
def test_each_override_is_the_package_template_without_safe(name):
    """Upgrading crispy-forms-gds fails here until the overrides are copied again."""
    package = (PACKAGE_TEMPLATES / name).read_text()
    ours = (Path(settings.BASE_DIR) / "templates" / "gds" / name).read_text()
    ours = re.sub(r"\A\{% comment %\}.*?\{% endcomment %\}", "", ours, flags=re.DOTALL)
    assert "|safe" not in ours
    expected = package.replace("field.label|safe", "field.label")
    assert ours == expected.replace("field.help_text|safe", "field.help_text")
