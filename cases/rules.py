"""Permission rules (django-rules). Object rules defer to the querysets' scoping."""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

from cases.querysets import staff_of
from cases.roles import Role

if TYPE_CHECKING:
    from cases.models import Adopter, Case, Child
    from core.types import AnyUser


def has_role(*roles: Role) -> rules.Predicate:
    @rules.predicate(name=f"has_role({', '.join(roles)})")
    def predicate(user: AnyUser) -> bool:
        staff = staff_of(user)
        return staff is not None and staff.role in roles

    return predicate


@rules.predicate
def is_staff_member(user: AnyUser) -> bool:
    return staff_of(user) is not None


@rules.predicate
def is_manager(user: AnyUser) -> bool:
    """A team, service or senior manager of a service (the regional lead manages nobody's
    casework)."""
    staff = staff_of(user)
    return staff is not None and staff.is_manager and staff.role != Role.REGIONAL_LEAD


is_qa = has_role(Role.QA)


@rules.predicate
def can_see_child(user: AnyUser, child: Child | Adopter | None) -> bool:
    if child is None:
        return False
    return type(child).objects.visible_to(user).filter(pk=child.pk).exists()


@rules.predicate
def can_see_case(user: AnyUser, case: Case | None) -> bool:
    if case is None:
        return False
    return type(case).objects.visible_to(user).filter(pk=case.pk).exists()


is_superuser = rules.is_superuser
is_regional_lead = has_role(Role.REGIONAL_LEAD)
reads_access_log = has_role(Role.QA, Role.SENIOR_LEADER)

# Child-level records: every staff role except the regional lead.
rules.add_perm("cases.view_case_records", is_superuser | (is_staff_member & ~is_regional_lead))
rules.add_perm("cases.view_child", is_superuser | can_see_child)
rules.add_perm("cases.view_adopter", is_superuser | can_see_child)
rules.add_perm("cases.view_case", is_superuser | can_see_case)
rules.add_perm("cases.view_accesslog", is_superuser | reads_access_log)
rules.add_perm("cases.view_regional_summary", is_superuser | is_regional_lead)
