"""Filters for the audit list and its spreadsheet (django-filter), with GOV.UK wording."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Case as DbCase
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from audits.figures import GRADED_STATUSES
from audits.models import Audit, AuditTool, AuditType, Grade
from cases.filters import HiddenCSVWidget, LenientFilterSet
from cases.listing import ExpressionOrderingFilter
from cases.models import Team
from core import prepared

MONTHS_OFFERED = 12

# Sort orders that follow the workflow and the grade scale, not the alphabet.
STATUS_RANK = DbCase(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(Audit.Status.values)),
    default=Value(len(Audit.Status.values)),
    output_field=IntegerField(),
)
GRADE_RANK = DbCase(
    *(
        When(status__in=GRADED_STATUSES, overall_grade=value, then=Value(rank))
        for rank, value in enumerate(Grade.values)
    ),
    # Not graded yet: after Inadequate when sorting best first.
    default=Value(len(Grade.values)),
    output_field=IntegerField(),
)


def recent_months(today: datetime.date, count: int = MONTHS_OFFERED) -> list[datetime.date]:
    """The first day of this month and of the `count - 1` months before it, newest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class AuditFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("submitted_from"), cleaned.get("submitted_to")
        if start and end and end < start:
            # Only the "to" date is dropped, so the "from" date still applies.
            self.add_error(
                "submitted_to", "Submitted to must be the same as or after submitted from"
            )
        return cleaned


def _date_widget() -> forms.DateInput:
    return forms.DateInput(
        format="%Y-%m-%d",
        attrs={"type": "date", "class": "govuk-input govuk-input--width-10"},
    )


class AuditFilter(LenientFilterSet):
    q = django_filters.CharFilter(
        label="Child or adopter name or ID",
        method="filter_q",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
        error_messages={"max_length": "Name or ID must be 80 characters or fewer"},
    )
    audit_type = django_filters.ChoiceFilter(
        choices=AuditType.choices,
        label="Audit type",
        empty_label="All types",
        error_messages={"invalid_choice": "Select an audit type from the list"},
    )
    tool = django_filters.ChoiceFilter(
        # Choices (tool codes, so every version of a tool counts) are set per user.
        choices=(),
        method="filter_tool",
        label="Audit tool",
        empty_label="All tools",
        error_messages={"invalid_choice": "Select an audit tool from the list"},
    )
    grade = django_filters.ChoiceFilter(
        choices=Grade.choices,
        method="filter_grade",
        label="Overall grade",
        empty_label="Any grade",
        error_messages={"invalid_choice": "Select a grade from the list"},
    )
    status = django_filters.ChoiceFilter(
        choices=Audit.Status.choices,
        empty_label="Any status",
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    team = django_filters.ModelChoiceFilter(
        method="filter_team",
        queryset=Team.objects.none(),
        label="Team",
        empty_label="All teams",
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    month = django_filters.ChoiceFilter(
        choices=(),
        method="filter_month",
        label="Month submitted",
        empty_label="Any month",
        error_messages={"invalid_choice": "Select a month from the list"},
    )
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label="Submitted from",
        help_text="On or after this date",
        widget=_date_widget(),
        error_messages={"invalid": "Submitted from must be a real date"},
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label="Submitted to",
        help_text="On or before this date",
        widget=_date_widget(),
        error_messages={"invalid": "Submitted to must be a real date"},
    )
    sort = ExpressionOrderingFilter(
        expressions={
            "child": (
                Coalesce(
                    F("case__child__family_name"),
                    F("case__adopter__household_name"),
                    output_field=None,
                ),
            ),
            "status": (STATUS_RANK,),
            "grade": (GRADE_RANK,),
        },
        fields=(
            ("child", "child"),
            ("tool__name", "tool"),
            ("audit_type", "type"),
            ("auditor__user__last_name", "auditor"),
            ("case__team__name", "team"),
            ("due_on", "due"),
            ("status", "status"),
            ("grade", "grade"),
            ("submitted_at", "submitted"),
        ),
        error_messages={"invalid_choice": "Sort by one of the table's columns"},
    )

    class Meta:
        model = Audit
        fields: list[str] = []
        form = AuditFilterForm

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["tool"].extra["choices"] = _tool_choices(user)
        # Each choice shows the team's name alone.
        self.filters["team"].queryset = Team.objects.visible_to(user).only("name").order_by("name")
        self.filters["month"].extra["choices"] = [
            (month.strftime("%Y-%m"), date_format(month, "F Y"))
            for month in recent_months(timezone.localdate())
        ]
        # The column headers set the order; the field travels with the form, unseen.
        self.form.fields["sort"].widget = HiddenCSVWidget()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(case__child__reference__iexact=value)
            | Q(case__adopter__reference__iexact=value)
            | Q(case__child__family_name__icontains=value)
            | Q(case__child__given_name__icontains=value)
            | Q(case__adopter__household_name__icontains=value)
            | Q(supervisee__user__last_name__icontains=value)
        )

    def filter_team(self, queryset: QuerySet, name: str, value: Team | None) -> QuerySet:
        # A case audit's team is its case's; a supervision audit's, its supervisee's.
        if value is None:
            return queryset
        return queryset.filter(Q(case__team=value) | Q(supervisee__team=value))

    def filter_tool(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(tool__code=value) if value else queryset

    def filter_grade(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # A grade counts once the audit is submitted; a draft grade may still change.
        if not value:
            return queryset
        return queryset.filter(overall_grade=value, status__in=GRADED_STATUSES)

    def filter_month(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        year, month = (int(part) for part in value.split("-"))
        # __year and __month use the current time zone, so "March" is March in London.
        return queryset.filter(submitted_at__year=year, submitted_at__month=month)

    @property
    def current_sort(self) -> str:
        if self.is_bound and self.form.is_valid():
            values = self.form.cleaned_data.get("sort") or []
            return values[0] if values else ""
        return ""


def _tool_choices(user: Any) -> list[tuple[str, str]]:
    """One choice per tool code, named as its newest version is."""
    choices: dict[str, str] = {}
    for code, tool_name in prepared.rows(_tool_versions, user):
        choices.setdefault(code, tool_name)
    return sorted(choices.items(), key=lambda choice: choice[1].lower())


def _tool_versions(user: Any) -> QuerySet[AuditTool, tuple[str, str]]:
    tools = AuditTool.objects.visible_to(user).order_by("code", "-version")
    return tools.values_list("code", "name")
