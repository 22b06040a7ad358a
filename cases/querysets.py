"""Who may see which case records: the one place that decides it.

A practitioner sees the cases allocated to them; a team manager their team's; a service
manager their service's; QA, senior leaders and business support their organisation's;
independent reviewing officers the child protection and looked-after cases of their
organisation; adoption panel members and agency decision makers its adoption cases. A
regional lead sees aggregates only, never a child-level record. Everyone else sees
nothing. Children and adopters are visible through a visible case; journey events
through their case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q

from cases.roles import ACCESS_LOG_READERS, ORGANISATION_WIDE_ROLES, Role

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from cases.models import (  # noqa: F401
        AccessLog,
        Adopter,
        Case,
        Child,
        JourneyEvent,
        StaffMember,
    )
    from core.types import AnyUser

CHILD_SAFEGUARDING_SERVICES = ("child_protection", "looked_after")
ADOPTION_SERVICES = ("adoption_recruitment", "family_finding", "adoption_support")
NOTHING = Q(pk__in=[])


def staff_of(user: AnyUser | None) -> StaffMember | None:
    """The StaffMember behind a user, or None for anonymous users and users without one."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff
    except AttributeError:
        return None
    except models.ObjectDoesNotExist:
        return None


def case_scope(user: AnyUser | None, prefix: str = "") -> Q:
    """A filter on Case (or on a model reaching Case through `prefix`) for `user`."""
    p = prefix
    if user is not None and user.is_authenticated and user.is_superuser:
        return Q()
    staff = staff_of(user)
    if staff is None:
        return NOTHING
    role = staff.role
    if role in ORGANISATION_WIDE_ROLES:
        return Q(**{f"{p}organisation_id": staff.organisation_id})
    if role == Role.TEAM_MANAGER:
        return Q(**{f"{p}team_id": staff.team_id}) if staff.team_id else NOTHING
    if role == Role.SERVICE_MANAGER:
        return Q(**{f"{p}service_id": staff.service_id}) if staff.service_id else NOTHING
    if role == Role.PRACTITIONER:
        return Q(**{f"{p}allocated_worker_id": staff.pk})
    kinds: tuple[str, ...]
    if role == Role.INDEPENDENT_REVIEWER:
        kinds = CHILD_SAFEGUARDING_SERVICES
    elif role in (Role.PANEL_MEMBER, Role.DECISION_MAKER):
        kinds = ADOPTION_SERVICES
    else:
        # Regional leads and any role not named above: no child-level records.
        return NOTHING
    return Q(**{f"{p}organisation_id": staff.organisation_id, f"{p}service__kind__in": kinds})


def sees_whole_organisation(user: AnyUser | None) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in ORGANISATION_WIDE_ROLES


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: AnyUser) -> CaseQuerySet:
        return self.filter(case_scope(user))

    def open(self) -> CaseQuerySet:
        return self.filter(status="open")


_Subject = TypeVar("_Subject", bound="Child | Adopter")


class _SubjectQuerySet(models.QuerySet[_Subject]):
    """Children and adopters: visible when one of their cases is."""

    subject_field = ""

    def visible_to(self, user: AnyUser) -> Self:
        if user is not None and user.is_authenticated and user.is_superuser:
            return self
        staff = staff_of(user)
        if staff is None:
            return self.none()
        if staff.role in ORGANISATION_WIDE_ROLES:
            return self.filter(organisation_id=staff.organisation_id)
        from cases.models import Case

        visible_cases = Case.objects.filter(case_scope(user)).filter(
            **{self.subject_field: OuterRef("pk")}
        )
        return self.filter(Exists(visible_cases))


class ChildQuerySet(_SubjectQuerySet["Child"]):
    subject_field = "child"


class AdopterQuerySet(_SubjectQuerySet["Adopter"]):
    subject_field = "adopter"


class JourneyEventQuerySet(models.QuerySet["JourneyEvent"]):
    def visible_to(self, user: AnyUser) -> JourneyEventQuerySet:
        return self.filter(case_scope(user, prefix="case__"))


class StaffMemberQuerySet(models.QuerySet["StaffMember"]):
    def visible_to(self, user: AnyUser) -> StaffMemberQuerySet:
        """Staff of the user's own organisation (regional leads see none)."""
        if user is not None and user.is_authenticated and user.is_superuser:
            return self
        staff = staff_of(user)
        if staff is None or staff.role == Role.REGIONAL_LEAD:
            return self.none()
        return self.filter(organisation_id=staff.organisation_id)


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def visible_to(self, user: AnyUser) -> AccessLogQuerySet:
        """QA and senior leaders read their organisation's access log; nobody else does."""
        if user is not None and user.is_authenticated and user.is_superuser:
            return self
        staff = staff_of(user)
        if staff is None or staff.role not in ACCESS_LOG_READERS:
            return self.none()
        return self.filter(organisation_id=staff.organisation_id)
