"""Forms for practice observations: whom, where and when; the observer's record
(autosaved, with the revision it was loaded at); the practitioner's reflection (the same);
QA moderation; an action; the list's filters."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms_gds.layout import Size
from django import forms
from django.utils import timezone

from cases.grades import Grade
from core.forms import DateField, gds_helper, radio_field
from observations.models import FindingTheme, Observation, PracticeEvent, PracticeFinding, Setting

CHOOSE_A_GRADE = "Choose a grade from the list"


def _helper(form: forms.Form) -> Any:
    return gds_helper(*form.fields, label_size=Size.SMALL, legend_size=Size.SMALL)


def _textarea(label: str, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        required=False,
        max_length=20000,
        error_messages={"max_length": "Answer in 20,000 characters or fewer"},
    )


class DetailsForm(forms.Form):
    """Whom the observer watched, where, when, and the case where there is one."""

    setting = radio_field(
        label="Where did you observe their practice?",
        choices=Setting.choices,
        message="Choose where you observed the practice",
    )
    observed_on = DateField(
        label="When did you observe it?",
        help_text="For example, 27 3 2026",
        error_messages={"required": "Enter the date you observed the practice"},
    )
    case_reference = forms.CharField(
        label="The child's or adopter's ID (optional)",
        help_text="If the practice was about one child or family, their ID on their record.",
        required=False,
        max_length=40,
    )

    def __init__(self, *args: Any, practitioners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practitioner"] = forms.ModelChoiceField(
            queryset=practitioners,
            label="Whose practice did you observe?",
            empty_label="Choose a person",
            error_messages={
                "required": "Choose the practitioner you observed",
                "invalid_choice": "Choose a person from the list",
            },
        )
        self.order_fields(["practitioner", "setting", "observed_on", "case_reference"])
        self.helper = _helper(self)

    def clean_observed_on(self) -> datetime.date:
        observed_on = self.cleaned_data["observed_on"]
        if observed_on > timezone.localdate():
            raise forms.ValidationError("The date observed must be today or in the past")
        return observed_on


class RecordForm(forms.Form):
    went_well = _textarea("What went well?", "What made a difference for the child or family?")
    even_better_if = _textarea("Even better if", "What would have made the practice even better?")
    impact_on_child = _textarea(
        "What was the impact on the child?",
        "Judge the difference the practice made to the child, not only whether tasks were done.",
    )
    grade = radio_field(
        label="Grade",
        choices=Grade.choices,
        required=False,
        message=CHOOSE_A_GRADE,
    )
    family_view = _textarea(
        "The family's view",
        "If you asked the family about the practice you saw, what they said. Leave it blank if "
        "you did not ask them.",
        rows=4,
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"data-revision": "record"}), min_value=0, required=False
    )

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = disabled
        self.helper = _helper(self)

    @staticmethod
    def initial_for(observation: Observation) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(observation, name)
            for name in ("went_well", "even_better_if", "impact_on_child", "grade", "family_view")
        }
        initial["revision"] = observation.revision
        return initial


class ReflectionForm(forms.Form):
    reflection = _textarea(
        "Your reflection",
        "What you think went well, what you would do differently, and what you have learned.",
        rows=8,
    )
    revision = forms.IntegerField(
        widget=forms.HiddenInput(attrs={"data-revision": "reflection"}),
        min_value=0,
        required=False,
    )

    def __init__(self, *args: Any, disabled: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.disabled = disabled
        self.helper = _helper(self)


class ModerationForm(forms.Form):
    agrees = radio_field(
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda value: value == "yes",
        message="Select yes if you agree with the grade",
    )
    # Not a conditional reveal: axe reports GOV.UK's revealing radios as a critical fault.
    grade = radio_field(
        label="If you do not agree, what grade would you give?",
        choices=Grade.choices,
        required=False,
        message=CHOOSE_A_GRADE,
    )
    feedback = forms.CharField(
        label="Feedback to the observer",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="On the quality of the observation: evidence, analysis, impact on the child.",
        error_messages={"required": "Enter your feedback to the observer"},
    )

    def __init__(self, *args: Any, observation: Observation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "agrees"
        ].label = f"Do you agree with the grade, {observation.get_grade_display()}?"
        self.helper = _helper(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("agrees") is False and not data.get("grade"):
            self.add_error("grade", "Choose the grade you would give")
        return data


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what needs to be done"},
    )
    due_on = DateField(label="By when", error_messages={"required": "Enter the date it is due by"})

    def __init__(self, *args: Any, owners: Any, observation: Observation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            queryset=owners,
            label="Who will do it",
            empty_label="Choose a person",
            error_messages={
                "required": "Choose who will do it",
                "invalid_choice": "Choose a person from the list",
            },
        )
        self.order_fields(["description", "owner", "due_on"])
        if observation.practitioner_id and not self.is_bound:
            self.initial.setdefault("owner", observation.practitioner_id)
        self.helper = _helper(self)

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The date it is due by must be today or in the future")
        return due_on


class ListFilterForm(forms.Form):
    """The list's filters: status and month. Anything else is ignored, never an error."""

    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[
            ("", "Any status"),
            *Observation.Status.choices,
            ("finished", "Submitted or moderated"),
        ],
    )
    grade = forms.ChoiceField(
        label="Grade", required=False, choices=[("", "Any grade"), *Grade.choices]
    )
    setting = forms.ChoiceField(
        label="Setting", required=False, choices=[("", "Any setting"), *Setting.choices]
    )

    def __init__(self, *args: Any, months: list[datetime.date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"] = forms.ChoiceField(
            label="Month",
            required=False,
            choices=[("", "Any month"), *((m.strftime("%Y-%m"), f"{m:%B %Y}") for m in months)],
        )
        self.helper = gds_helper("status", "grade", "setting", "month", submit="Apply filters")
        self.helper.form_method = "get"

    def selected_month(self) -> datetime.date | None:
        value = self.cleaned_data.get("month") if self.is_valid() else ""
        if not value:
            return None
        return datetime.date.fromisoformat(f"{value}-01")

    def selected(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "") if self.is_valid() else ""

    def selected_status(self) -> str:
        return self.selected("status")


class CoverageFilterForm(forms.Form):
    """The coverage lists' filters, from the figures' links. Anything else is ignored."""

    team = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    service = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    missing = forms.BooleanField(required=False)

    def value(self, name: str) -> Any:
        if not self.is_valid():
            return None
        return self.cleaned_data.get(name)


# Practice focused days and practice weeks.


def _people_field(queryset: Any, label: str, message: str, **kwargs: Any) -> Any:
    return forms.ModelChoiceField(
        queryset=queryset,
        label=label,
        empty_label="Choose a person",
        error_messages={"required": message, "invalid_choice": "Choose a person from the list"},
        **kwargs,
    )


def _checkboxes(queryset: Any, label: str, message: str, required: bool = True) -> Any:
    return forms.ModelMultipleChoiceField(
        queryset=queryset,
        label=label,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": message,
            "invalid_choice": "Choose from the list",
            "invalid_pk_value": "Choose from the list",
        },
    )


class EventForm(forms.Form):
    kind = radio_field(
        label="What kind of event is it?",
        choices=PracticeEvent.Kind.choices,
        message="Choose a practice focused day or a practice week",
    )
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title", "max_length": "Enter 200 characters or fewer"},
    )
    starts_on = DateField(
        label="First day", error_messages={"required": "Enter the event's first day"}
    )
    ends_on = DateField(label="Last day", error_messages={"required": "Enter the event's last day"})
    purpose = _textarea("What it will look at (optional)", rows=3)

    def __init__(self, *args: Any, teams: Any, services: Any, leaders: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"] = _checkboxes(
            teams, "Teams it covers", "Choose the teams or services it covers", required=False
        )
        self.fields["services"] = _checkboxes(
            services, "Services it covers", "Choose the teams or services", required=False
        )
        self.fields["leaders"] = _checkboxes(
            leaders, "Senior leaders taking part", "Choose the senior leaders taking part"
        )
        self.helper = _helper(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day must be the same as or after the first day")
        if not self.errors.get("teams") and not data.get("teams") and not data.get("services"):
            self.add_error("teams", "Choose the teams or services it covers")
        return data


class VisitForm(forms.Form):
    visit_on = DateField(
        label="Date of the visit", error_messages={"required": "Enter the date of the visit"}
    )

    def __init__(self, *args: Any, leaders: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"] = _people_field(leaders, "Who is visiting", "Choose who is visiting")
        self.fields["team"] = forms.ModelChoiceField(
            queryset=teams,
            label="Which team they visit",
            empty_label="Choose a team",
            error_messages={
                "required": "Choose the team they visit",
                "invalid_choice": "Choose a team from the list",
            },
        )
        self.order_fields(["leader", "team", "visit_on"])
        self.helper = _helper(self)


class VisitNotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes of the guided conversations",
        help_text="Whom you spoke with, what they told you about their practice and the "
        "children they work with, what you saw.",
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        error_messages={
            "required": "Enter your notes of the guided conversations",
            "max_length": "Answer in 20,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class FindingForm(forms.Form):
    kind = radio_field(
        label="Is this something working well, or a worry?",
        choices=PracticeFinding.Kind.choices,
        message="Choose whether it is working well or a worry",
    )
    theme = radio_field(
        label="What is it about?", choices=FindingTheme.choices, message="Choose what it is about"
    )
    text = forms.CharField(
        label="The finding",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Enter the finding",
            "max_length": "Answer in 5,000 characters or fewer",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(self)


class EventActionForm(forms.Form):
    description = forms.CharField(
        label="What needs to be done",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter what needs to be done"},
    )
    due_on = DateField(label="By when", error_messages={"required": "Enter the date it is due by"})

    def __init__(self, *args: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _people_field(owners, "Who will do it", "Choose who will do it")
        self.order_fields(["description", "owner", "due_on"])
        self.helper = _helper(self)

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("The date it is due by must be today or in the future")
        return due_on


class EventObservationForm(forms.Form):
    def __init__(self, *args: Any, leaders: Any, practitioners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observer"] = _people_field(
            leaders, "Which leader observes", "Choose the leader who observes"
        )
        self.fields["practitioner"] = _people_field(
            practitioners,
            "Whose practice (optional)",
            "Choose the practitioner",
            required=False,
            help_text="Leave it for the leader to choose on the day.",
        )
        self.helper = _helper(self)
