"""Forms for the data-quality pages: the issue list's filters (django-filter) and the
follow-up forms on an issue (note, chase, resolved, won't fix), with GOV.UK wording.

They check the shape of the input only; whether the issue may be changed as asked is the
services' call (performance/services/quality.py), which refuse with an IssueActionError.
"""

from __future__ import annotations

from typing import Any

import django_filters
from crispy_forms_gds.layout import Field
from django import forms
from django.db.models import QuerySet

from cases.filters import HiddenCSVWidget, LenientFilterSet
from cases.models import Team
from cases.querysets import staff_of
from core.forms import gds_helper
from performance.models import DataQualityIssue, DataQualityRule

TEXT_MAX_LENGTH = 2000
Status = DataQualityIssue.Status
# The status filter: open or chased unless asked otherwise.
ALL_STATUSES = "all"
STATUS_CHOICES = [*Status.choices, (ALL_STATUSES, "Any status")]


class IssueFilter(LenientFilterSet):
    rule = django_filters.ModelChoiceFilter(
        queryset=DataQualityRule.objects.none(),
        label="Rule",
        empty_label="All rules",
        error_messages={"invalid_choice": "Select a rule from the list"},
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(),
        label="Team",
        empty_label="All teams",
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES,
        method="filter_status",
        label="Status",
        empty_label="Open or chased",
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label="Assigned to me",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.OrderingFilter(
        fields=(
            ("raised_on", "raised"),
            ("rule__position", "rule"),
            ("team__name", "team"),
            ("assigned_to__user__last_name", "assigned"),
            ("status", "status"),
        ),
        error_messages={"invalid_choice": "Sort by one of the table's columns"},
    )

    class Meta:
        model = DataQualityIssue
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # Each choice shows the team's or rule's name alone.
        self.filters["team"].queryset = Team.objects.visible_to(user).only("name").order_by("name")
        self.filters["rule"].queryset = DataQualityRule.objects.only("name", "position")
        self.form.fields["sort"].widget = HiddenCSVWidget()

    def valid_qs(self) -> QuerySet:
        queryset = super().valid_qs()
        status = self.form.cleaned_data.get("status") if self.is_bound else ""
        # An empty or refused status still means the default: open or chased.
        return queryset if status else queryset.filter(status__in=DataQualityIssue.ACTIVE_STATUSES)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value or value == ALL_STATUSES:
            return queryset
        return queryset.filter(status=value)

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        staff = staff_of(self.user)
        return queryset.filter(assigned_to=staff) if staff else queryset.none()

    @property
    def current_sort(self) -> str:
        if self.is_bound and self.form.is_valid():
            values = self.form.cleaned_data.get("sort") or []
            return values[0] if values else ""
        return ""


def _text_field(label: str, *, required: bool, help_text: str = "", what: str = "") -> Any:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": f"Enter {what}",
            "max_length": f"{what.capitalize()} must be {TEXT_MAX_LENGTH} characters or fewer",
        },
    )


class FollowUpForm(forms.Form):
    """What every follow-up form has: the issue's revision when the page was opened, so
    a change made by someone else in the meantime is noticed."""

    action = ""
    submit = ""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, url: str = "", revision: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", self.action)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("revision", revision)
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(
            Field("revision"),
            Field.textarea("text", rows=3),
            submit=self.submit,
            submit_name=f"submit_{self.action}",
            action=url,
        )

    @property
    def base_revision(self) -> int:
        return self.cleaned_data.get("revision") or 0

    @property
    def entered(self) -> str:
        return self.cleaned_data.get("text", "")

    def with_revision(self, revision: int) -> None:
        """After a conflict: keep the person's text, but start from the current revision."""
        data = self.data.copy()
        data[self.add_prefix("revision")] = str(revision)
        self.data = data


class NoteForm(FollowUpForm):
    action = "note"
    submit = "Add note"

    text = _text_field("Note", required=True, what="a note")


class ChaseForm(FollowUpForm):
    action = "chase"
    submit = "Chase"

    text = _text_field(
        "Message (optional)",
        required=False,
        help_text="Sent with the reminder, after what the rule asks them to do.",
        what="a message",
    )


class ResolveForm(FollowUpForm):
    action = "resolve"
    submit = "Mark resolved"

    text = _text_field(
        "What was put right? (optional)",
        required=False,
        help_text="Only mark it resolved once the record has been corrected. If the nightly "
        "check still finds it wrong, the issue reopens.",
        what="what was put right",
    )


class WontFixForm(FollowUpForm):
    action = "wont_fix"
    submit = "Mark won't fix"

    text = _text_field(
        "Why will it not be fixed?",
        required=True,
        help_text="For example, the dates are right and the event was recorded late. This is "
        "kept in the issue's trail.",
        what="why it will not be fixed",
    )


FORMS: dict[str, type[FollowUpForm]] = {
    form.action: form for form in (NoteForm, ChaseForm, ResolveForm, WontFixForm)
}
