"""The case-data upload form, and the upload handler that caps a file's size."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from cases.models import Team
from core.forms import gds_helper, radio_field
from performance.models import ImportRun
from performance.services.imports import codes

# Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) stream to a temporary file, never to
# memory; this caps what one file may be (a million journey events is about 90 MB).
MAX_UPLOAD_BYTES = 250 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
EARLIEST_RETURN_YEAR = 2015


def _file_field(label: str, help_text: str, *, required: bool) -> forms.FileField:
    what = label[0].lower() + label[1:]
    return forms.FileField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={
            "required": f"Select the {what}",
            "empty": f"The selected {what} is empty",
            "invalid": f"The selected {what} must be a CSV or Excel (.xlsx) file",
            "missing": f"Select the {what}",
        },
    )


def _check_upload(upload: Any, what: str) -> Any:
    if upload is None:
        return upload
    if PurePath(upload.name or "").suffix.lower() not in EXTENSIONS:
        raise ValidationError(f"The selected {what} must be a CSV or Excel (.xlsx) file")
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(f"The selected {what} must be smaller than 250 MB")
    return upload


class UploadForm(forms.Form):
    kind = radio_field(
        label="What are you importing?",
        choices=ImportRun.Kind.choices,
        message="Select what you are importing",
    )
    file = _file_field(
        "File",
        "A CSV file saved as UTF-8, or an Excel workbook (.xlsx), up to 250 MB. For the "
        "SSDA903 return, the header file.",
        required=True,
    )
    episodes_file = _file_field(
        "Episodes file",
        "The episodes file of the return, as a CSV or Excel file.",
        required=False,
    )
    collection_year = forms.TypedChoiceField(
        label="Collection year",
        help_text="The year the return is for, which sets the codes it may use (SEX is M, F "
        "or U from 2024 to 2025, for example). Leave it to be worked out from the latest "
        "date in the episodes file unless that gives the wrong year.",
        choices=(),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose a collection year from the list"},
    )
    team = forms.ModelChoiceField(
        label="Team for new looked-after cases",
        help_text="The return names no team. Each new period of care becomes a case in this "
        "team and its service; cases already in the portal keep their team and worker.",
        queryset=Team.objects.none(),
        required=False,
        empty_label="Choose a team",
        error_messages={"invalid_choice": "Choose a team from the list"},
    )

    def __init__(
        self, *args: Any, teams: QuerySet[Team], too_large: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.too_large = set(too_large)
        self.fields["team"].queryset = teams
        self.fields["collection_year"].choices = _year_choices(timezone.localdate())
        self.fields["team"].label_from_instance = lambda team: f"{team.name} ({team.service})"
        # crispy adds the multipart enctype itself.
        self.helper = gds_helper(
            Field.radios("kind", legend_size=Size.MEDIUM),
            "file",
            Fieldset(
                "episodes_file",
                Field.select("team"),
                Field.select("collection_year"),
                legend="For the SSDA903 return only",
                legend_size=Size.SMALL,
            ),
            submit="Upload and check",
            submit_name="upload",
            action=reverse("performance:import_list"),
        )

    def clean_file(self) -> Any:
        return _check_upload(self.cleaned_data.get("file"), "file")

    def clean_episodes_file(self) -> Any:
        return _check_upload(self.cleaned_data.get("episodes_file"), "episodes file")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in self.too_large & set(self.fields):
            what = "file" if name == "file" else "episodes file"
            self.errors.pop(name, None)
            self.add_error(name, f"The selected {what} must be smaller than 250 MB")
        if data.get("kind") == ImportRun.Kind.SSDA903:
            if not data.get("episodes_file") and "episodes_file" not in self.errors:
                self.add_error("episodes_file", "Select the episodes file")
            if not data.get("team") and "team" not in self.errors:
                self.add_error("team", "Choose the team for new looked-after cases")
        elif data.get("kind") and data.get("episodes_file"):
            self.add_error(
                "episodes_file",
                "Only the SSDA903 return has an episodes file: remove it, or choose the "
                "SSDA903 return",
            )
        return data


def _year_choices(today: Any) -> list[tuple[Any, str]]:
    """The collection years a return may be for, latest first (2024 is 2024 to 2025)."""
    latest = codes.year_of(today)
    years = range(latest, EARLIEST_RETURN_YEAR - 1, -1)
    return [("", "Work it out from the file")] + [(y, f"{y} to {y + 1}") for y in years]


class UploadSizeLimit(FileUploadHandler):
    """Skips an uploaded file once it passes MAX_UPLOAD_BYTES: Django reads the rest of the
    request and throws it away, so an oversized upload never fills the disk. The form
    then says the file is too big."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.received = 0
        request.uploads_too_large = set()

    def new_file(self, field_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > MAX_UPLOAD_BYTES:
            self.request.uploads_too_large.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
