"""Forms for the thematic review planner: propose or change a theme, decline one, write up
its findings, and give each case of the dip sample an auditor.

They check the shape of the input only; whether the theme may change is the services' call.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from audits.selectors import AuditTool
from cases.models import StaffMember
from core.forms import gds_helper, radio_field
from performance.selectors_indicators import CATALOGUE
from themes.models import ThematicReview
from themes.selectors import SAMPLE_SIZE_MAX, Pick, month_label

TITLE_MAX_LENGTH = ThematicReview._meta.get_field("title").max_length
DETAIL_MAX_LENGTH = ThematicReview._meta.get_field("source_detail").max_length
FINDINGS_MAX_LENGTH = 20000
REASON_MAX_LENGTH = 1000


class ToolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: AuditTool) -> str:
        return f"{obj.name} (version {obj.version})"


class ThemeForm(forms.Form):
    title = forms.CharField(
        label="Theme",
        help_text="A few words, for example “Purpose of visits” or “Re-referrals”.",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter the theme",
            "max_length": f"The theme must be {TITLE_MAX_LENGTH} characters or fewer",
        },
    )
    question = forms.CharField(
        label="What should the review find out?",
        help_text="The question the dip sample will answer, for example “Are children seen "
        "alone, and do visit records say why the visit happened?”",
        widget=forms.Textarea,
        max_length=2000,
        error_messages={
            "required": "Enter what the review should find out",
            "max_length": "What the review should find out must be 2,000 characters or fewer",
        },
    )
    source = radio_field(
        label="Where did the theme come from?",
        choices=ThematicReview.Source.choices,
        message="Select where the theme came from",
    )
    source_detail = forms.CharField(
        label="Which board, meeting, indicator or audit? (optional)",
        help_text="For example “Practice Improvement Board, 12 March” or “Re-referrals "
        "within 12 months up from 18% to 24%”.",
        required=False,
        max_length=DETAIL_MAX_LENGTH,
        error_messages={
            "max_length": f"Where the theme came from must be {DETAIL_MAX_LENGTH} characters "
            "or fewer"
        },
    )
    month = forms.ChoiceField(
        label="Suggested month (optional)",
        help_text="The month the dip sample should take place.",
        required=False,
        error_messages={"invalid_choice": "Select a month from the list"},
    )
    tool = ToolChoiceField(
        # The organisation's published tools, set by the form's caller.
        queryset=None,
        label="Audit tool (optional)",
        help_text="The published tool the sampled cases will be audited with.",
        required=False,
        empty_label="Not decided yet",
        error_messages={"invalid_choice": "Select an audit tool from the list"},
    )
    indicators = forms.MultipleChoiceField(
        label="Which indicators is it about? (optional)",
        help_text="The board shows these indicators' trends beside the theme.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select indicators from the list"},
    )
    sample_size = forms.IntegerField(
        label="How many cases should be sampled?",
        help_text=f"Between 1 and {SAMPLE_SIZE_MAX}.",
        min_value=1,
        max_value=SAMPLE_SIZE_MAX,
        initial=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how many cases should be sampled",
            "invalid": "The number of cases must be a whole number, like 10",
            "min_value": f"The number of cases must be between 1 and {SAMPLE_SIZE_MAX}",
            "max_value": f"The number of cases must be between 1 and {SAMPLE_SIZE_MAX}",
        },
    )

    def __init__(
        self,
        *args: Any,
        tools: Iterable[AuditTool] | Any,
        months: list[datetime.date],
        submit: str = "Save",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = tools
        self.fields["indicators"].choices = [
            (slug, indicator.name) for slug, indicator in CATALOGUE.items()
        ]
        self.fields["month"].choices = [("", "Not decided yet")] + [
            (month.isoformat(), month_label(month)) for month in months
        ]
        self.helper = gds_helper(
            Field.text("title"),
            Field.textarea("question", rows=4),
            Field.radios("source", legend_size=Size.SMALL),
            Field.text("source_detail"),
            Field.select("month"),
            Field.select("tool"),
            Field.checkboxes("indicators", legend_size=Size.SMALL, small=True),
            Field.text("sample_size", field_width=3),
            submit=submit,
        )

    @classmethod
    def initial_for(cls, theme: ThematicReview) -> dict[str, Any]:
        return {
            "title": theme.title,
            "question": theme.question,
            "source": theme.source,
            "source_detail": theme.source_detail,
            "month": theme.month.isoformat() if theme.month else "",
            "tool": theme.tool_id,
            "sample_size": theme.sample_size,
            "indicators": list(theme.indicators),
        }

    def clean_month(self) -> datetime.date | None:
        value = self.cleaned_data.get("month")
        return datetime.date.fromisoformat(value) if value else None


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Why is the theme declined?",
        help_text="This is kept with the theme’s findings.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": "Enter why the theme is declined",
            "max_length": f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "decline")
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.textarea("reason", rows=3), submit=None)


class FindingsForm(forms.Form):
    findings = forms.CharField(
        label="Findings",
        help_text="What the sample found: strengths, what needs to improve, and what happens "
        "next. This goes into the monthly and quarterly QA reports.",
        widget=forms.Textarea,
        required=False,
        max_length=FINDINGS_MAX_LENGTH,
        error_messages={
            "max_length": f"The findings must be {FINDINGS_MAX_LENGTH:,} characters or fewer"
        },
    )

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].disabled = disabled
        self.helper = gds_helper(
            Field.textarea("findings", label_size=Size.MEDIUM, label_tag="h2", rows=12),
            submit=None,
        )


def auditor_label(staff: StaffMember) -> str:
    where = f", {staff.team.name}" if staff.team_id else ""
    return f"{staff.display_name} ({staff.get_role_display()}{where})"


class SampleForm(forms.Form):
    """One auditor per picked case (`auditor-<case id>`), and the case ids, so what is
    posted is exactly the sample that was shown."""

    cases = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, picks: list[Pick], auditors: list[StaffMember], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.picks = picks
        self.auditors = {str(staff.pk): staff for staff in auditors}
        choices = [("", "Choose an auditor")] + [
            (key, auditor_label(staff)) for key, staff in self.auditors.items()
        ]
        self.fields["cases"].initial = ",".join(str(pick.case.pk) for pick in picks)
        names = []
        for pick in picks:
            name = f"auditor-{pick.case.pk}"
            subject = str(pick.case.subject)
            self.fields[name] = forms.ChoiceField(
                label=f"Auditor for {subject}",
                help_text=_hint(pick),
                choices=choices,
                initial=str(pick.auditor.pk) if pick.auditor else "",
                error_messages={
                    "required": f"Choose an auditor for {subject}",
                    "invalid_choice": f"Choose an auditor for {subject} from the list",
                },
            )
            names.append(Field.select(name))
        self.helper = gds_helper(Field("cases"), *names, submit=None)
        self.helper.label_size = Size.SMALL

    def assignments(self) -> list[tuple[Any, StaffMember]]:
        return [
            (pick.case, self.auditors[self.cleaned_data[f"auditor-{pick.case.pk}"]])
            for pick in self.picks
        ]


def _hint(pick: Pick) -> str:
    case = pick.case
    worker = case.allocated_worker.display_name if case.allocated_worker_id else "No worker"
    parts = [f"{case.team.name}, {worker}.", pick.reason]
    if pick.auditor is None:
        parts.append("The team has no team manager: choose who will audit it.")
    return " ".join(parts)


def case_ids(value: str) -> list[int]:
    """The case ids posted with the sample, in order, without repeats or rubbish."""
    ids: list[int] = []
    for part in (value or "").split(","):
        part = part.strip()
        if part.isdigit() and len(part) < 19 and int(part) not in ids:
            ids.append(int(part))
    return ids
