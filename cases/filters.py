"""Filters for the case list and the access log (django-filter), with GOV.UK wording."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters.widgets import BaseCSVWidget

from cases.listing import ExpressionOrderingFilter
from cases.models import AccessLog, Case, JourneyStage, Service, StaffMember, Team
from cases.selectors import CASE_SORTS, VISIT_FILTERS

VISIT_CHOICES = (
    ("due", "Due in the next 7 days or overdue"),
    ("overdue", "Overdue"),
)


class HiddenCSVWidget(BaseCSVWidget, forms.HiddenInput):
    """The ordering field's comma-separated value, in a hidden input."""


class LenientFilterSet(django_filters.FilterSet):
    """Applies the valid filters and reports the invalid ones, instead of showing nothing."""

    def valid_qs(self) -> QuerySet:
        queryset = self.queryset.all()
        if not self.is_bound:
            return queryset
        self.form.is_valid()
        for name, value in self.form.cleaned_data.items():
            queryset = self.filters[name].filter(queryset, value)
        return queryset


class CaseFilterForm(forms.Form):
    """The error summary lists only fields a person can see and correct: a refused
    worker from a link is reported at the worker's name box, and a made-up order (the
    column headers set it) is ignored."""

    def clean(self) -> dict[str, Any]:
        worker_errors = self._errors.pop("worker", None)
        if worker_errors:
            self.add_error("worker_name", worker_errors)
        self._errors.pop("sort", None)
        return super().clean()


class CaseFilter(LenientFilterSet):
    q = django_filters.CharFilter(
        label="Name or ID",
        method="filter_q",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(),
        empty_label="All teams",
        error_messages={"invalid_choice": "Select a team from the list"},
    )
    service = django_filters.ModelChoiceFilter(
        queryset=Service.objects.none(),
        empty_label="All services",
        error_messages={"invalid_choice": "Select a service from the list"},
    )
    # A name typed in, not a list of every worker (hundreds in a large council). The
    # home page's caseload links name one worker exactly, by `worker`, which travels
    # unseen and shows as a selected filter.
    worker_name = django_filters.CharFilter(
        label="Allocated worker",
        help_text="All or part of their name",
        method="filter_worker_name",
        max_length=80,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-!-width-full"}),
    )
    worker = django_filters.ModelChoiceFilter(
        field_name="allocated_worker",
        queryset=StaffMember.objects.none(),
        label="Allocated worker",
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "The worker in this page's address is not one of your staff: "
            "type their name instead"
        },
    )
    unallocated = django_filters.BooleanFilter(
        method="filter_unallocated",
        label="No allocated worker",
        widget=forms.CheckboxInput,
    )
    status = django_filters.ChoiceFilter(
        choices=Case.Status.choices,
        empty_label="Open and closed",
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    visit = django_filters.ChoiceFilter(
        choices=VISIT_CHOICES,
        method="filter_visit",
        label="Statutory visit",
        empty_label="Any",
        error_messages={"invalid_choice": "Select a statutory visit option from the list"},
    )
    stage = django_filters.ChoiceFilter(
        field_name="journey_stage",
        choices=JourneyStage.choices,
        label="Journey stage",
        empty_label="Any stage",
        error_messages={"invalid_choice": "Select a journey stage from the list"},
    )
    sort = ExpressionOrderingFilter(
        expressions=CASE_SORTS,
        fields=(
            ("subject", "subject"),
            ("opened_on", "opened_on"),
            ("team__name", "team"),
            ("service__name", "service"),
            ("worker", "worker"),
            ("journey_stage", "stage"),
            ("status", "status"),
        ),
        error_messages={"invalid_choice": "Sort by one of the table's columns"},
    )

    class Meta:
        model = Case
        form = CaseFilterForm
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        fields = self.filters
        fields["team"].queryset = Team.objects.visible_to(user).select_related("service")
        fields["service"].queryset = Service.objects.visible_to(user)
        fields["worker"].queryset = (
            StaffMember.objects.visible_to(user)
            .filter(role__in=[StaffMember.Role.PRACTITIONER, StaffMember.Role.TEAM_MANAGER])
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        # The column headers set the order; the field travels with the form, unseen.
        self.form.fields["sort"].widget = HiddenCSVWidget()

    def filter_worker_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split():
            queryset = queryset.filter(
                Q(allocated_worker__user__first_name__icontains=word)
                | Q(allocated_worker__user__last_name__icontains=word)
            )
        return queryset

    def filter_unallocated(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        # An unticked box means "any", never "allocated only".
        return queryset.filter(allocated_worker__isnull=True) if value else queryset

    def filter_visit(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The same selector as the home page's figures, so the two always agree.
        selector = VISIT_FILTERS.get(value)
        if selector is None:
            return queryset
        due = selector(cases=Case.objects.visible_to(self.user), today=timezone.localdate())
        return queryset.filter(pk__in=due.values("pk"))

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(child__reference__iexact=value)
            | Q(adopter__reference__iexact=value)
            | Q(child__family_name__icontains=value)
            | Q(child__given_name__icontains=value)
            | Q(adopter__household_name__icontains=value)
        )

    @property
    def searched(self) -> bool:
        """The list is narrowed by a name or ID typed in (a valid one: it was applied)."""
        if not self.is_bound:
            return False
        self.form.is_valid()
        return bool((self.form.cleaned_data.get("q") or "").strip())

    @property
    def current_sort(self) -> str:
        if self.is_bound and self.form.is_valid():
            values = self.form.cleaned_data.get("sort") or []
            return values[0] if values else ""
        return ""


class AccessLogFilter(LenientFilterSet):
    reference = django_filters.CharFilter(
        label="Child or adopter ID",
        method="filter_reference",
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    action = django_filters.ChoiceFilter(
        choices=AccessLog.Action.choices,
        empty_label="Any action",
        error_messages={"invalid_choice": "Select an action from the list"},
    )
    person = django_filters.ModelChoiceFilter(
        field_name="user__staff",
        queryset=StaffMember.objects.none(),
        label="Person",
        empty_label="Anyone",
        error_messages={"invalid_choice": "Select a person from the list"},
    )
    viewed_from = django_filters.DateFilter(
        field_name="viewed_at",
        lookup_expr="date__gte",
        label="Viewed on or after",
        error_messages={"invalid": "Enter a real date, for example 27 3 2026"},
        widget=forms.DateInput(
            attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}
        ),
    )

    class Meta:
        model = AccessLog
        fields: list[str] = []

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["person"].queryset = (
            StaffMember.objects.visible_to(user)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )

    def filter_reference(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        # Through the lists' own tables, so an entry naming several matches is listed once.
        children = AccessLog.children.through.objects.filter(child__reference__iexact=value)
        adopters = AccessLog.adopters.through.objects.filter(adopter__reference__iexact=value)
        return queryset.filter(
            Q(pk__in=children.values("accesslog_id")) | Q(pk__in=adopters.values("accesslog_id"))
        )
