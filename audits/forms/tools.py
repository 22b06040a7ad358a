"""Forms for building an audit tool: its details, its sections and their questions.

They check the shape of the input only; whether the tool may change is the services' call.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Size
from django import forms

from audits.models import AuditTool, AuditType, Respondent, ToolQuestion, ToolSection
from cases.models import Service
from core.forms import gds_helper, radio_field

NAME_MAX_LENGTH = AuditTool._meta.get_field("name").max_length
TITLE_MAX_LENGTH = ToolSection._meta.get_field("title").max_length
TEXT_MAX_LENGTH = ToolQuestion._meta.get_field("text").max_length
CHOICE_MAX_LENGTH = 200


def _max_length_message(what: str, limit: int) -> str:
    return f"{what} must be {limit} characters or fewer"


class ToolForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        error_messages={
            "required": "Enter the tool's name",
            "max_length": _max_length_message("The tool's name", NAME_MAX_LENGTH),
        },
    )
    description = forms.CharField(
        label="Description (optional)",
        help_text="What the tool is for and when to use it. Auditors see this.",
        required=False,
        widget=forms.Textarea,
    )
    audit_types = forms.MultipleChoiceField(
        label="Audit types",
        help_text="The types of audit this tool can be used for. Select all that apply.",
        choices=AuditType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select audit types from the list"},
    )
    service_kinds = forms.MultipleChoiceField(
        label="Services",
        help_text="The services whose cases this tool is for. Select all that apply.",
        choices=Service.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select services from the list"},
    )

    def __init__(self, *args: Any, submit: str = "Save", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("name"),
            Field.textarea("description", rows=4),
            Field.checkboxes("audit_types", legend_size=Size.MEDIUM, small=True),
            Field.checkboxes("service_kinds", legend_size=Size.MEDIUM, small=True),
            submit=submit,
        )

    @classmethod
    def initial_for(cls, tool: AuditTool) -> dict[str, Any]:
        return {
            "name": tool.name,
            "description": tool.description,
            "audit_types": list(tool.audit_types),
            "service_kinds": list(tool.service_kinds),
        }


class SectionForm(forms.Form):
    title = forms.CharField(
        label="Section title",
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "required": "Enter the section title",
            "max_length": _max_length_message("The section title", TITLE_MAX_LENGTH),
        },
    )
    guidance = forms.CharField(
        label="Guidance (optional)",
        help_text="Shown at the top of the section to whoever completes it.",
        required=False,
        widget=forms.Textarea,
    )
    respondent = radio_field(
        label="Who completes this section?",
        choices=Respondent.choices,
        initial=Respondent.AUDITOR,
        message="Select who completes this section",
    )

    def __init__(self, *args: Any, submit: str = "Save", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.text("title"),
            Field.textarea("guidance", rows=4),
            Field.radios("respondent", legend_size=Size.MEDIUM),
            submit=submit,
        )

    @classmethod
    def initial_for(cls, section: ToolSection) -> dict[str, Any]:
        return {
            "title": section.title,
            "guidance": section.guidance,
            "respondent": section.respondent,
        }


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Question",
        max_length=TEXT_MAX_LENGTH,
        error_messages={
            "required": "Enter the question",
            "max_length": _max_length_message("The question", TEXT_MAX_LENGTH),
        },
        widget=forms.Textarea,
    )
    guidance = forms.CharField(
        label="Guidance (optional)",
        help_text="Shown under the question, to help people answer it.",
        required=False,
        widget=forms.Textarea,
    )
    kind = radio_field(
        label="How is it answered?",
        choices=ToolQuestion.Kind.choices,
        initial=ToolQuestion.Kind.TEXT,
        message="Select how the question is answered",
    )
    choices = forms.CharField(
        label="Choices",
        help_text=(
            f"Only for “{ToolQuestion.Kind.CHOICE.label}”. Enter each choice on a new line."
        ),
        required=False,
        widget=forms.Textarea,
    )
    required = forms.BooleanField(
        label="People must answer this question",
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, submit: str = "Save", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field.textarea("text", rows=3),
            Field.textarea("guidance", rows=4),
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.textarea("choices", rows=5),
            Field.checkbox("required"),
            submit=submit,
        )

    @classmethod
    def initial_for(cls, question: ToolQuestion) -> dict[str, Any]:
        return {
            "text": question.text,
            "guidance": question.guidance,
            "kind": question.kind,
            "choices": "\n".join(str(choice) for choice in question.choices),
            "required": question.required,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        lines = [line.strip() for line in cleaned.get("choices", "").splitlines()]
        lines = [line for line in lines if line]
        if cleaned.get("kind") != ToolQuestion.Kind.CHOICE:
            # Choices typed before switching to another kind of answer are not kept.
            cleaned["choices"] = []
        elif len(lines) < 2:
            self.add_error("choices", "Enter at least two choices, one on each line")
        elif any(len(line) > CHOICE_MAX_LENGTH for line in lines):
            self.add_error("choices", _max_length_message("Each choice", CHOICE_MAX_LENGTH))
        elif len({line.casefold() for line in lines}) < len(lines):
            self.add_error("choices", "Enter each choice only once")
        else:
            cleaned["choices"] = lines
        return cleaned
