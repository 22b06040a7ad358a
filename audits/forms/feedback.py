"""Forms of 360-degree feedback on supervision: opening a round, and the questionnaire."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from audits.models import FEEDBACK_QUESTIONS, Agreement
from core.forms import DateField, gds_helper, radio_field


class OpenFeedbackRoundForm(forms.Form):
    manager = forms.ModelChoiceField(
        queryset=None,
        label="Whose supervision",
        help_text="The people this manager supervises will be asked",
        empty_label="Choose a manager",
        error_messages={
            "required": "Choose whose supervision to ask about",
            "invalid_choice": "Choose a manager from the list",
        },
    )
    closes_on = DateField(
        label="Open until",
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the date the questionnaire closes"},
    )

    def __init__(self, *args: Any, managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def clean_closes_on(self) -> datetime.date:
        closes_on: datetime.date = self.cleaned_data["closes_on"]
        if closes_on <= timezone.localdate():
            raise forms.ValidationError("The closing date must be in the future")
        return closes_on


class FeedbackAnswerForm(forms.Form):
    comment = forms.CharField(
        label="What would make your supervision better? (optional)",
        help_text="Do not name yourself or anyone else: this is shown, without your name, "
        "once five people have answered",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, statement in FEEDBACK_QUESTIONS:
            self.fields[name] = radio_field(
                label=statement,
                choices=Agreement.choices,
                coerce=int,
                # Four questions on one page: the error summary must say which one.
                message=f"Choose how far you agree that {statement[0].lower()}{statement[1:]}",
            )
        self.order_fields([name for name, _ in FEEDBACK_QUESTIONS] + ["comment"])
        self.helper = gds_helper(*self.fields, label_size=Size.SMALL, legend_size=Size.SMALL)

    def answers(self) -> dict[str, int]:
        return {name: int(self.cleaned_data[name]) for name, _ in FEEDBACK_QUESTIONS}
