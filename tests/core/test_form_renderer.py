"""The form renderer writes out Django's widget templates in Python: the markup must be
exactly what the templates give, escaping included, for every widget the forms use."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from core.form_renderer import FormRenderer

TEMPLATES = DjangoTemplates()
WRITTEN = FormRenderer()

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"


class Everything(forms.Form):
    name = forms.CharField(max_length=20, required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    count = forms.IntegerField(required=False, min_value=0)
    email = forms.EmailField(required=False)
    search = forms.CharField(widget=forms.TextInput(attrs={"type": "search"}), required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    agree = forms.BooleanField(required=False)
    team = forms.ChoiceField(
        choices=[("", "Any team"), ("1", "North"), ("2", HOSTILE)], required=False
    )
    grouped = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("Looked after", [("a", "North"), ("b", "South")]),
            (HOSTILE, [("c", mark_safe("<b>bold</b>"))]),
        ],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y"), ("z", "Z")], required=False)
    disabled = forms.ChoiceField(
        choices=[("1", "One")],
        widget=forms.Select(attrs={"disabled": True, "data-off": False, "aria-label": HOSTILE}),
        required=False,
    )


def both(form: forms.Form, name: str) -> tuple[str, str]:
    field = form[name]
    expected = field.field.widget.render(
        field.html_name, field.value(), attrs={"id": field.auto_id}, renderer=TEMPLATES
    )
    written = field.field.widget.render(
        field.html_name, field.value(), attrs={"id": field.auto_id}, renderer=WRITTEN
    )
    return expected, written


DATA = {
    "name": HOSTILE,
    "secret": "s3cret",
    "count": "3",
    "email": "a@example.org",
    "search": '"; drop',
    "when": "2026-12-05",
    "hidden": HOSTILE,
    "notes": HOSTILE + "\nline two",
    "agree": "on",
    "team": "2",
    "grouped": "c",
    "many": ["x", "z"],
    "disabled": "1",
}


@pytest.mark.parametrize("bound", [True, False], ids=["filled", "empty"])
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_every_widget_renders_as_the_templates_do(name, bound):
    form = Everything(DATA if bound else None, initial={"when": datetime.date(2026, 1, 2)})
    expected, written = both(form, name)
    assert written == expected


def test_the_written_out_select_does_run_and_escapes():
    form = Everything(DATA)
    rendered = WRITTEN.render(
        "django/forms/widgets/select.html",
        form["team"].field.widget.get_context("team", "2", {"id": "id_team"}),
    )
    assert "&lt;script&gt;" in rendered
    assert "<script>" not in rendered
    assert '<option value="2" selected>' in rendered


def test_a_select_with_its_own_option_template_goes_through_the_templates():
    class Fancy(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Fancy(choices=[("1", "One")])
    assert widget.render("x", "1", renderer=WRITTEN) == widget.render("x", "1", renderer=TEMPLATES)


@settings(max_examples=60, deadline=None)
@given(
    value=st.text(max_size=30),
    choices=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=12)), max_size=6),
)
def test_any_text_renders_as_the_templates_do(value, choices):
    text = forms.TextInput(attrs={"class": value})
    assert text.render("n", value, renderer=WRITTEN) == text.render("n", value, renderer=TEMPLATES)
    select = forms.Select(choices=choices)
    assert select.render("s", value, renderer=WRITTEN) == select.render(
        "s", value, renderer=TEMPLATES
    )
