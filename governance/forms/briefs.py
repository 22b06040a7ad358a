"""The learning brief's form: its four parts, where the learning comes from and who it
is for. It carries the revision the page was loaded at (autosave and a second editor)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.db.models import QuerySet

from core.forms import gds_helper
from governance.models import BRIEF_FIELDS

MAX_TEXT = 20000

_HINTS = {
    "found": "What the audits, the review or the report showed.",
    "matters": "What it means for children, young people and families.",
    "good_looks_like": "Practice that would make the difference.",
    "questions": "Three or four questions for a team meeting or supervision.",
}


class _ReviewChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title}{f' ({obj.month:%B %Y})' if obj.month else ''}"


class BriefForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=160,
        error_messages={
            "required": "Enter a title for the brief",
            "max_length": "Answer in 160 characters or fewer",
        },
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"data-revision": "brief"}), min_value=1, required=False
    )

    def __init__(
        self,
        *args: Any,
        reviews: QuerySet[Any],
        reports: QuerySet[Any],
        services: QuerySet[Any],
        teams: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, label in BRIEF_FIELDS:
            self.fields[name] = forms.CharField(
                label=label,
                help_text=_HINTS[name],
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 5}),
                error_messages={"max_length": f"Answer in {MAX_TEXT:,} characters or fewer"},
            )
        self.fields["review"] = _ReviewChoice(
            label="Thematic review it comes from (optional)",
            queryset=reviews,
            required=False,
            empty_label="None",
            error_messages={"invalid_choice": "Choose one of your organisation's thematic reviews"},
        )
        self.fields["report"] = forms.ModelChoiceField(
            label="Report it comes from (optional)",
            queryset=reports,
            required=False,
            empty_label="None",
            error_messages={"invalid_choice": "Choose one of your organisation's reports"},
        )
        self.fields["source_text"] = forms.CharField(
            label="Other source (optional)",
            max_length=300,
            required=False,
            error_messages={"max_length": "Answer in 300 characters or fewer"},
        )
        self.fields["whole_organisation"] = forms.TypedChoiceField(
            label="Who is it for?",
            choices=[
                ("yes", "Everyone in the organisation"),
                ("no", "The services and teams chosen below"),
            ],
            coerce=lambda v: v == "yes",
            widget=forms.RadioSelect,
            initial="yes",
            error_messages={
                "required": "Choose who the brief is for",
                "invalid_choice": "Choose who the brief is for",
            },
        )
        self.fields["services"] = forms.ModelMultipleChoiceField(
            label="Services",
            queryset=services,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose your organisation's services",
                "invalid_pk_value": "Choose your organisation's services",
            },
        )
        self.fields["teams"] = forms.ModelMultipleChoiceField(
            label="Teams",
            queryset=teams,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "Choose your organisation's teams",
                "invalid_pk_value": "Choose your organisation's teams",
            },
        )
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("whole_organisation") is False and not (
            data.get("services") or data.get("teams")
        ):
            self.add_error(
                "services", "Choose at least one service or team, or the whole organisation"
            )
        if "revision" in self.errors:
            del self.errors["revision"]
            self.add_error(None, "Reload the page and try again")
        return data
