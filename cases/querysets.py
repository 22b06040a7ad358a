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

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery

from cases.roles import ACCESS_LOG_READERS, ORGANISATION_WIDE_ROLES, Role
from core.kept import Kept

if TYPE_CHECKING:
    # The querysets' type parameters name the models in strings, which ruff does not read.
    from cases.models import (  # noqa: F401
        AccessLog,
        Adopter,
        Case,
        Child,
        FamilyLink,
        JourneyEvent,
        Service,
        StaffMember,
        Team,
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


def is_superuser(user: AnyUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_superuser


def scope_of(user: AnyUser | None, scope_for: Callable[[StaffMember], Q]) -> Q | None:
    """The one opening of every scope: None (no filter) for superusers, nothing for a
    user who is not a member of staff, and for a member of staff what `scope_for` says."""
    if is_superuser(user):
        return None
    staff = staff_of(user)
    if staff is None:
        return NOTHING
    return scope_for(staff)


def case_scope(user: AnyUser | None, prefix: str = "") -> Q:
    """A filter on Case (or on a model reaching Case through `prefix`) for `user`."""
    scope = scope_of(user, lambda staff: case_scope_for(staff, prefix))
    return Q() if scope is None else scope


def case_scope_for(staff: StaffMember, prefix: str = "") -> Q:
    """The cases a member of staff sees, by their role (see the module's docstring)."""
    p = prefix
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


class CasesIn(Subquery):
    """The ids of the cases a plain scope (of `case_scope_for`) matches, as a subquery an
    `__in` filter takes, told from any other by that scope (`_scope_key`), so a queryset
    filtered by it is still kept."""

    def __init__(self, scope: Q) -> None:
        from cases.models import Case

        key = _scope_key(scope)
        if key is None:
            raise ValueError("a scope of plain lookups only")
        self.key = key
        super().__init__(Case.objects.filter(scope).order_by().values("pk"))


def case_ids_scope_for(staff: StaffMember, field: str) -> Q:
    """`field` (a foreign key to a case) among the cases `staff` sees, read as a
    subquery of case ids rather than through a join to the cases: for a scope that ORs
    the case with the row's own columns (an audit also seen by whoever it names), where a
    join would join every row to its case before it could tell which rows are seen."""
    scope = case_scope_for(staff)
    return NOTHING if scope is NOTHING else Q(**{f"{field}__in": CasesIn(scope)})


def sees_whole_organisation(user: AnyUser | None) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.role in ORGANISATION_WIDE_ROLES


_Model = TypeVar("_Model", bound=models.Model)

# Scoped querysets by queryset class, model, database and scope (see `_filtered_by`).
# Never evaluated: each use is a copy. The last 4,096 used are kept.
_SCOPED: Kept[Any] = Kept(4096)


def _plain(value: object) -> bool:
    return value is None or isinstance(value, (int, str))


def _scope_key(scope: Q) -> tuple[Any, ...] | None:
    """A key that tells one scope from any other, or None when the scope holds more than
    lookups of plain values (None, numbers, strings and choices, or tuples of them): not a
    subquery or an expression. Each value's type is part of it, so 1 and True differ."""
    parts: list[Any] = []
    for child in scope.children:
        if isinstance(child, Q):
            inner = _scope_key(child)
            if inner is None:
                return None
            parts.append(inner)
            continue
        if not isinstance(child, tuple):  # an expression (Exists, ...)
            return None
        lookup, value = child
        if isinstance(value, CasesIn):
            value = (CasesIn, value.key)
        elif isinstance(value, (tuple, list, frozenset)):
            if not all(_plain(item) for item in value):
                return None
            value = (type(value), tuple((type(item), item) for item in value))
        elif _plain(value):
            value = (type(value), value)
        else:
            return None
        parts.append((lookup, value))
    return (scope.connector, scope.negated, tuple(parts))


class OrganisationQuerySet(models.QuerySet[_Model]):
    """The base of every organisation-owned model's queryset, and the one `visible_to`:
    superusers see every row, a user who is not a member of staff none, and a member of
    staff what `scope_for(staff)` says. By default that is their own organisation's rows
    for the roles in `readers` (None: every role but the regional lead, who sees
    aggregates only)."""

    readers: frozenset[Role] | None = None
    # A permission (a rule) the reader must also hold to see any row, or None.
    permission: str | None = None

    def visible_to(self, user: AnyUser | None) -> Self:
        def scope_for(staff: StaffMember) -> Q:
            if self.permission is not None and not staff.user.has_perm(self.permission):
                return NOTHING
            return self.scope_for(staff)

        scope = scope_of(user, scope_for)
        if scope is None:
            return self
        return self.none() if scope is NOTHING else self._filtered_by(scope)

    def _filtered_by(self, scope: Q) -> Self:
        """`self.filter(scope)`. Filtering works out the scope's joins, which takes longer
        than running most of the queries built on it, and each reader's scope is the same
        on every page: so a plain queryset (straight from the manager) filtered by a scope
        of plain values is built once per process and copied after. The key is the
        whole scope, so a reader whose role, team or service changes gets a new one."""
        key = _scope_key(scope) if self._is_plain() else None
        if key is None:
            return self.filter(scope)
        kept_as = repr((type(self), self.model, vars(self).get("_db"), key))
        return _SCOPED.get(kept_as, lambda: self.filter(scope)).all()

    def _is_plain(self) -> bool:
        """Whether nothing has been done to this queryset since the manager made it."""
        fresh = type(self)(model=self.model, using=vars(self).get("_db"))
        mine, theirs = vars(self), vars(fresh)
        return vars(self.query) == vars(fresh.query) and all(
            mine.get(name) == value for name, value in theirs.items() if name != "_query"
        )

    def scope_for(self, staff: StaffMember) -> Q:
        allowed = (
            staff.role != Role.REGIONAL_LEAD if self.readers is None else staff.role in self.readers
        )
        return Q(organisation_id=staff.organisation_id) if allowed else NOTHING


class CaseScopedQuerySet(OrganisationQuerySet[_Model]):
    """Rows seen through their case: whoever sees the case sees them.

    Each row belongs to its case's organisation (whatever writes one copies the case's),
    so for a reader of the whole organisation the row's own `organisation_id` says the
    same as the case's, read without a join to the cases."""

    case_prefix = "case__"

    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role in ORGANISATION_WIDE_ROLES:
            return Q(organisation_id=staff.organisation_id)
        return case_scope_for(staff, self.case_prefix)


class FamilyLinkQuerySet(CaseScopedQuerySet["FamilyLink"]):
    """One-use links are seen by whoever sees their case (staff never see the token: only
    its digest is kept)."""


class CaseQuerySet(CaseScopedQuerySet["Case"]):
    case_prefix = ""

    def open(self) -> CaseQuerySet:
        return self.filter(status="open")


_Subject = TypeVar("_Subject", bound="Child | Adopter")


class _SubjectQuerySet(OrganisationQuerySet[_Subject]):
    """Children and adopters: visible when one of their cases is."""

    subject_field = ""

    def scope_for(self, staff: StaffMember) -> Q:
        if staff.role in ORGANISATION_WIDE_ROLES:
            return Q(organisation_id=staff.organisation_id)
        from cases.models import Case

        visible_cases = Case.objects.filter(case_scope_for(staff)).filter(
            **{self.subject_field: OuterRef("pk")}
        )
        return Q(Exists(visible_cases))


class ChildQuerySet(_SubjectQuerySet["Child"]):
    subject_field = "child"


class AdopterQuerySet(_SubjectQuerySet["Adopter"]):
    subject_field = "adopter"


class JourneyEventQuerySet(CaseScopedQuerySet["JourneyEvent"]):
    pass


class ServiceQuerySet(OrganisationQuerySet["Service"]):
    """The services of the user's own organisation (regional leads see none)."""


class TeamQuerySet(OrganisationQuerySet["Team"]):
    """The teams of the user's own organisation (regional leads see none)."""


class StaffMemberQuerySet(OrganisationQuerySet["StaffMember"]):
    """Staff of the user's own organisation (regional leads see none)."""


class AccessLogQuerySet(OrganisationQuerySet["AccessLog"]):
    """QA and senior leaders read their organisation's access log; nobody else does."""

    readers = ACCESS_LOG_READERS
