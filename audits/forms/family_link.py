"""Forms for the family's part answered through a one-use link: the family's own form (the
part's questions as the QA manager wrote them, nothing of the record), and the staff's
form to make a link."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms

from audits.models import ToolQuestion, ToolSection
from cases.forms import FamilyLinkForm as BaseFamilyLinkForm
from cases.models import FamilyLink
from core.forms import DateField, gds_helper, radio_field


def _family_field(question: ToolQuestion) -> forms.Field:
    """A question as the family answer it: required where the tool says so, and the
    auditors' guidance left out (it is written for staff)."""
    label = question.text if question.required else f"{question.text} (optional)"
    common: dict[str, Any] = {"label": label, "required": question.required}
    if question.options:
        return radio_field(
            choices=question.options, message=f"Choose an answer to “{question.text}”", **common
        )
    if question.kind == ToolQuestion.Kind.DATE:
        return DateField(
            error_messages={"required": f"Enter the date for “{question.text}”"}, **common
        )
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        error_messages={
            "required": f"Answer “{question.text}”",
            "max_length": "Write 20,000 characters or fewer",
        },
        **common,
    )


class FamilyAnswersForm(forms.Form):
    """The family's part, one field per question (`q-<id>`). `closed` says why the answers
    can no longer be taken ("" while they can); `check` asks again when the form is sent
    (under the audit's lock), and a closed form takes nothing."""

    def __init__(
        self,
        data: Any = None,
        *,
        sections: list[ToolSection],
        closed: str = "",
        check: Callable[[], str] | None = None,
    ) -> None:
        super().__init__(data)
        self.closed = closed
        self.check = check
        self.questions = [q for section in sections for q in section.questions.all()]
        for question in self.questions:
            self.fields[question.field_name] = _family_field(question)
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for question in self.questions:
            name = question.field_name
            if question.kind != ToolQuestion.Kind.DATE or name in self.errors:
                continue
            # An optional date given in part is a mistake to point out, not a blank.
            parts = [str(self.data.get(f"{name}_{i}", "")).strip() for i in range(3)]
            if any(parts) and not all(parts):
                self.add_error(name, "Enter the day, month and year")
        self.closed = self.check() if self.check is not None else self.closed
        if self.closed:
            raise forms.ValidationError(self.closed)
        if not self.errors and not self.values():
            raise forms.ValidationError("Answer at least one question before you send")
        return cleaned

    def values(self) -> dict[int, str]:
        """{question id: value as stored}, blank answers left out."""
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.field_name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if value:
                values[question.pk] = str(value).strip()
        return values


class FamilyLinkForm(BaseFamilyLinkForm):
    """A one-use link for the family: who it is for, and for how long."""

    # The tool's own questions either way: for a child, the page around them is simpler.
    audience = radio_field(
        choices=(
            (FamilyLink.Audience.ADULT, "A parent or carer"),
            (
                FamilyLink.Audience.CHILD,
                "A child or young person (simpler words around the questions)",
            ),
        ),
        message="Choose who the link is for",
        label="Who is the link for?",
        initial=FamilyLink.Audience.ADULT,
    )


class WithdrawLinkForm(forms.Form):
    link = forms.IntegerField(min_value=1, max_value=2**63 - 1)
