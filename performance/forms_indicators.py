"""Forms of the indicator pages: targets, benchmarks, alert rules and KPQ narratives."""

from __future__ import annotations

import csv
import io
from typing import Any

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.layout import Field, Size
from django import forms

from core.forms import gds_helper
from performance.indicators import CATALOGUE, Kind
from performance.models import Benchmark

NARRATIVE_MAX_LENGTH = 20000
BENCHMARK_COLUMNS = ["indicator", "kind", "period", "value", "source"]
BENCHMARK_FILE_MAX_BYTES = 1_000_000


def indicator_choices() -> list[tuple[str, str]]:
    return [("", "Choose an indicator")] + sorted(
        ((slug, indicator.name) for slug, indicator in CATALOGUE.items()), key=lambda c: c[1]
    )


def check_value(slug: str, value: float) -> None:
    indicator = CATALOGUE.get(slug)
    if indicator is None:
        return
    if indicator.kind == Kind.PERCENTAGE and not 0 <= value <= 100:
        raise forms.ValidationError("A percentage must be between 0 and 100")
    if value < 0:
        raise forms.ValidationError("Enter a value of 0 or more")


def _check_value_field(form: forms.Form, data: dict[str, Any]) -> None:
    """The value must make sense for the chosen indicator (check_value)."""
    if "indicator" in data and "value" in data:
        try:
            check_value(data["indicator"], data["value"])
        except forms.ValidationError as error:
            form.add_error("value", error)


class TargetForm(forms.Form):
    indicator = forms.ChoiceField(
        choices=indicator_choices, error_messages={"required": "Choose an indicator"}
    )
    value = forms.FloatField(
        label="Target",
        help_text="For a percentage, enter the number without the % sign.",
        error_messages={"required": "Enter the target", "invalid": "Enter the target as a number"},
    )
    starts_on = DateInputField(
        label="First month it applies to",
        help_text="For example, 1 4 2026. Figures from this month on are read against it.",
    )
    note = forms.CharField(label="Note (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.select("indicator"),
            Field.text("value", field_width=5),
            Field("starts_on"),
            Field.text("note"),
            submit="Save target",
            label_size=Size.SMALL,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_value_field(self, data)
        if data.get("starts_on"):
            data["starts_on"] = data["starts_on"].replace(day=1)
        return data


class BenchmarkForm(forms.Form):
    indicator = forms.ChoiceField(
        choices=indicator_choices, error_messages={"required": "Choose an indicator"}
    )
    kind = forms.ChoiceField(
        label="Compared with",
        choices=[("", "Choose a comparator"), *Benchmark.Kind.choices],
        error_messages={"required": "Choose what the benchmark is"},
    )
    period = forms.RegexField(
        label="Year",
        regex=r"^\d{4}(-\d{2})?$",
        help_text="For example, 2024-25 or 2025.",
        error_messages={"required": "Enter the year", "invalid": "Enter the year like 2024-25"},
    )
    value = forms.FloatField(
        error_messages={"required": "Enter the value", "invalid": "Enter the value as a number"}
    )
    source = forms.CharField(label="Source (optional)", required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.select("indicator"),
            Field.select("kind"),
            Field.text("period", field_width=10),
            Field.text("value", field_width=5),
            Field.text("source"),
            submit="Save benchmark",
            label_size=Size.SMALL,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_value_field(self, data)
        return data


class BenchmarkFileForm(forms.Form):
    file = forms.FileField(
        label="Benchmarks file (CSV)",
        help_text="Columns: " + ", ".join(BENCHMARK_COLUMNS) + ". Every row is checked first; "
        "nothing is saved unless every row is right.",
        error_messages={"required": "Choose a CSV file of benchmarks"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field("file"), submit="Import benchmarks", label_size=Size.SMALL)
        self.helper.form_id = "benchmark-file"

    def rows(self) -> list[dict[str, Any]]:
        """The file's rows, each checked with BenchmarkForm; problems become form errors
        naming the row."""
        upload = self.cleaned_data["file"]
        if upload.size > BENCHMARK_FILE_MAX_BYTES:
            self.add_error("file", "The file must be smaller than 1 MB")
            return []
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error("file", "The file must be a CSV saved as UTF-8")
            return []
        reader = csv.DictReader(io.StringIO(text))
        if [name.strip().lower() for name in reader.fieldnames or []] != BENCHMARK_COLUMNS:
            self.add_error("file", "The first row must be: " + ", ".join(BENCHMARK_COLUMNS))
            return []
        rows, problems = [], []
        for number, row in enumerate(reader, start=2):
            form = BenchmarkForm(
                {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
            )
            if form.is_valid():
                rows.append(form.cleaned_data)
                continue
            for field, errors in form.errors.items():
                value = row.get(field, "") if field != "__all__" else ""
                problems.append(f"Row {number}, {field} “{value}”: {errors[0]}")
        if not rows and not problems:
            problems.append("The file has no rows under its header")
        for problem in problems[:20]:
            self.add_error("file", problem)
        if len(problems) > 20:
            self.add_error("file", f"and {len(problems) - 20} more problems")
        return [] if problems else rows


class AlertRuleForm(forms.Form):
    indicator = forms.ChoiceField(
        choices=indicator_choices, error_messages={"required": "Choose an indicator"}
    )
    threshold = forms.FloatField(
        label="Threshold (optional)",
        required=False,
        help_text="Propose an audit when the month's value is worse than this.",
        error_messages={"invalid": "Enter the threshold as a number"},
    )
    worsening_months = forms.IntegerField(
        label="Months getting worse (optional)",
        required=False,
        min_value=2,
        max_value=12,
        help_text="Or propose an audit when it has got worse this many months running.",
        error_messages={
            "invalid": "Enter a whole number of months",
            "min_value": "Enter 2 months or more",
            "max_value": "Enter 12 months or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.select("indicator"),
            Field.text("threshold", field_width=5),
            Field.text("worsening_months", field_width=3),
            submit="Add rule",
            label_size=Size.SMALL,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        if data.get("threshold") is None and data.get("worsening_months") is None:
            raise forms.ValidationError("Enter a threshold, a number of months, or both")
        if data.get("threshold") is not None and data.get("indicator"):
            try:
                check_value(data["indicator"], data["threshold"])
            except forms.ValidationError as error:
                self.add_error("threshold", error)
        return data


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Analysis",
        required=False,
        max_length=NARRATIVE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What the figures say about this question this month, and what is being "
        "done. Seen by everyone who reads this page.",
        error_messages={"max_length": "The analysis must be 20,000 characters or fewer"},
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("text", rows=8),
            Field("revision"),
            submit="Save analysis",
            label_size=Size.SMALL,
        )
