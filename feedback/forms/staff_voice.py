"""The staff survey and health check upload form."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from core.forms import gds_helper, radio_field
from feedback.models import SurveyKind

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class SurveyUploadForm(forms.Form):
    kind = radio_field(
        label="Which survey are the results of?",
        choices=SurveyKind.choices,
        message="Choose which survey the results are of",
    )
    year = forms.IntegerField(
        label="Year",
        help_text="The year the survey ran, for example 2026",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the year the survey ran",
            "invalid": "Enter the year as a number, for example 2026",
            "min_value": "Enter a real year, for example 2026",
            "max_value": "Enter a real year, for example 2026",
        },
    )
    file = forms.FileField(
        label="The results file (CSV)",
        help_text="One row per person who answered: the team, then an answer from 1 "
        "(strongly disagree) to 5 (strongly agree) for each question, and an optional "
        "comment.",
        error_messages={"required": "Choose the CSV file of results", "empty": "The file is empty"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            *self.fields, submit="Check and import", label_size=Size.SMALL, legend_size=Size.SMALL
        )

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 5 MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file")
        return upload
