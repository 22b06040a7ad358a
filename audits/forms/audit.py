"""Forms for doing an audit. Each section's form is built from its tool version's
questions; every answer travels with the revision it was loaded at (optimistic lock)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from audits.models import (
    CASE_AUDIT_TYPES,
    Answer,
    Audit,
    AuditType,
    Grade,
    Respondent,
    ToolQuestion,
    ToolSection,
)
from cases.models import StaffMember
from cases.roles import Role
from core.forms import DateField as DateField
from core.forms import gds_helper, radio_field

CHOOSE_A_GRADE = "Choose a grade from the list"


def _helper(form: forms.Form) -> FormHelper:
    # Several questions on a page: each label or legend in bold, as GOV.UK forms do.
    return gds_helper(*form.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


def _question_field(question: ToolQuestion) -> forms.Field:
    common = {"label": question.text, "help_text": question.guidance, "required": False}
    if question.options:
        return radio_field(
            choices=question.options, message="Choose one of the answers listed", **common
        )
    if question.kind == ToolQuestion.Kind.DATE:
        return DateField(**common)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={"max_length": "Answer in 20,000 characters or fewer"},
        **common,
    )


class SectionForm(forms.Form):
    """One field per question (`q-<id>`) and its revision (`rev-<id>`), all optional:
    a draft may be incomplete; submission checks what is required.

    In the family-feedback part, which the auditor and the practitioner share, each
    answer's hint says who entered it (`entered_by`), so neither changes the other's
    answer without seeing whose it is, and a change shows as the changer's."""

    def __init__(
        self,
        *args: Any,
        section: ToolSection,
        answers: dict[int, Answer],
        disabled: bool = False,
        entered_by: Callable[[Answer], str] | None = None,
        **kwargs: Any,
    ) -> None:
        initial = {}
        self.questions = list(section.questions.all())
        for question in self.questions:
            answer = answers.get(question.pk)
            value = answer.value if answer else ""
            if question.kind == ToolQuestion.Kind.DATE and value:
                try:
                    value = datetime.date.fromisoformat(value)
                except ValueError:
                    value = None
            initial[question.field_name] = value
            initial[f"rev-{question.pk}"] = answer.revision if answer else 0
        super().__init__(*args, initial=initial, **kwargs)
        shared = section.respondent == Respondent.FAMILY and entered_by is not None
        for question in self.questions:
            field = _question_field(question)
            field.disabled = disabled
            answer = answers.get(question.pk)
            if shared and answer is not None and (entry := entered_by(answer)):
                field.help_text = " ".join(filter(None, [question.guidance, f"{entry}."]))
            self.fields[question.field_name] = field
            self.fields[f"rev-{question.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput(attrs={"data-revision": question.field_name}),
                min_value=0,
                required=False,
            )
        self.helper = _helper(self)

    def values(self) -> dict[int, tuple[str, int]]:
        """{question id: (value as stored, revision the editor started from)}."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            values[question.pk] = (value or "", self.cleaned_data.get(f"rev-{question.pk}") or 0)
        return values


class FindingsForm(forms.Form):
    overall_grade = radio_field(
        label="Overall grade",
        choices=Grade.choices,
        required=False,
        help_text="Judge the impact of practice on the child, not only whether tasks were done.",
        message=CHOOSE_A_GRADE,
    )
    grade_rationale = forms.CharField(
        label="Why did you give this grade?",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    strengths = forms.CharField(
        label="Strengths",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text="What has made a difference to the child, and could be shared?",
    )
    improvements = forms.CharField(
        label="Areas for improvement", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"data-revision": "findings"}), min_value=0, required=False
    )

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = disabled
        self.helper = _helper(self)


def _staff_choices(audit: Audit) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=StaffMember.objects.filter(organisation_id=audit.organisation_id)
        .exclude(role=Role.REGIONAL_LEAD)
        .select_related("user")
        .order_by("user__last_name", "user__first_name"),
        label="Who will do it",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose who will do it",
            "invalid_choice": "Choose a person from the list",
        },
    )


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what needs to be done"},
    )
    due_on = DateField(label="By when", error_messages={"required": "Enter the date it is due by"})

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _staff_choices(audit)
        self.order_fields(["description", "owner", "due_on"])
        if audit.practitioner_id and not self.is_bound:
            self.initial.setdefault("owner", audit.practitioner_id)
        self.helper = _helper(self)

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The date it is due by must be today or in the future")
        return due_on


class OversightForm(forms.Form):
    """The manager's oversight: whether they agree with the auditor's grade (and the grade
    they would give if not), their response, and up to three directions with timescales."""

    DIRECTIONS = 3

    agrees = radio_field(
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda value: value == "yes",
        message="Select yes if you agree with the overall grade",
    )
    # Not a conditional reveal: GOV.UK Frontend marks revealing radios aria-expanded,
    # which axe reports as a critical fault on a radio button.
    grade = radio_field(
        label="If you do not agree, what grade would you give?",
        choices=Grade.choices,
        required=False,
        message=CHOOSE_A_GRADE,
    )
    oversight = forms.CharField(
        label="Management oversight",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Your response to the findings, and what you expect to happen next.",
        error_messages={"required": "Enter your management oversight"},
    )

    def __init__(self, *args: Any, audit: Audit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "agrees"
        ].label = f"Do you agree with the overall grade, {audit.get_overall_grade_display()}?"
        for n in range(1, self.DIRECTIONS + 1):
            self.fields[f"direction_{n}"] = forms.CharField(
                label=f"Direction {n}",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            owner = _staff_choices(audit)
            owner.required = False
            self.fields[f"owner_{n}"] = owner
            self.fields[f"due_{n}"] = DateField(label="By when", required=False)
            if audit.practitioner_id and not self.is_bound:
                self.initial.setdefault(f"owner_{n}", audit.practitioner_id)
        self.helper = _helper(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("agrees") is False and not data.get("grade"):
            self.add_error("grade", "Choose the grade you would give")
        for n in range(1, self.DIRECTIONS + 1):
            if not (data.get(f"direction_{n}") or "").strip():
                continue
            if not data.get(f"owner_{n}"):
                self.add_error(f"owner_{n}", f"Choose who will carry out direction {n}")
            due = data.get(f"due_{n}")
            if not due:
                self.add_error(f"due_{n}", f"Enter the date direction {n} is due by")
            elif due < timezone.localdate():
                self.add_error(f"due_{n}", "The date it is due by must be today or in the future")
        return data

    def directions(self) -> list[tuple[str, StaffMember, datetime.date]]:
        return [
            (
                self.cleaned_data[f"direction_{n}"].strip(),
                self.cleaned_data[f"owner_{n}"],
                self.cleaned_data[f"due_{n}"],
            )
            for n in range(1, self.DIRECTIONS + 1)
            if (self.cleaned_data.get(f"direction_{n}") or "").strip()
        ]


class StartAuditForm(forms.Form):
    tool = forms.ModelChoiceField(
        queryset=None,
        label="Audit tool",
        empty_label="Choose a tool",
        error_messages={
            "required": "Choose an audit tool",
            "invalid_choice": "Choose a tool from the list",
        },
    )
    audit_type = radio_field(
        choices=[(t.value, t.label) for t in CASE_AUDIT_TYPES],
        label="Type of audit",
        initial=AuditType.REGULAR,
        message="Choose the type of audit",
    )
    due_on = DateField(label="Due by", error_messages={"required": "Enter the date it is due by"})
    theme = forms.CharField(label="Theme (for a thematic audit)", required=False, max_length=160)

    def __init__(self, *args: Any, tools: Any, auditors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tool"].queryset = tools
        self.fields["auditor"] = forms.ModelChoiceField(
            queryset=auditors,
            label="Auditor",
            empty_label="Choose a manager",
            error_messages={
                "required": "Choose who will do the audit",
                "invalid_choice": "Choose a manager from the list",
            },
        )
        self.order_fields(["tool", "audit_type", "theme", "auditor", "due_on"])
        self.helper = _helper(self)

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The due date must be today or in the future")
        return due_on


class ModerationForm(forms.Form):
    moderated_grade = radio_field(
        label="What grade would you give?",
        choices=Grade.choices,
        message="Choose the grade you would give",
        invalid=CHOOSE_A_GRADE,
    )
    moderation_feedback = forms.CharField(
        label="Feedback to the auditor",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="On the quality of the audit: analysis, evidence, impact on the child.",
        error_messages={"required": "Enter your feedback to the auditor"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)
