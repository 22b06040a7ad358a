"""Permission rules for the governance app (django-rules).

Each action is one rule, `governance.<action>`, made of who may take it and when; the
view, the template flag and the service all ask it with `may(user, perm, obj)`. One
section per feature.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import rules

if TYPE_CHECKING:
    from core.types import AnyUser


def may(user: AnyUser | None, perm: str, obj: object) -> bool:
    """Whether `user` may take an object action: the rule itself (Django's `has_perm`
    lets every superuser through, status and all)."""
    return rules.has_perm(perm, user, obj)


_is_superuser = rules.is_superuser

# The Quality Improvement Action Plan.

# Board dashboards, SPC and triangulation.
from cases.roles import Role  # noqa: E402
from cases.rules import has_role  # noqa: E402

# The board reads the organisation's figures and, behind them, its records: senior
# leaders and the QA service (regional leads get the regional view, aggregates only).
rules.add_perm("governance.view_board", _is_superuser | has_role(Role.SENIOR_LEADER, Role.QA))

from cases.querysets import staff_of  # noqa: E402


@rules.predicate
def _qa_of_the_changes_organisation(user: AnyUser, change: object = None) -> bool:
    """The QA service; of the change's organisation, when there is a change."""
    staff = staff_of(user)
    if staff is None or staff.role != Role.QA:
        return False
    return change is None or getattr(change, "organisation_id", None) == staff.organisation_id


# The QA service keeps its organisation's process changes (the page that lists, adds and
# deletes them); senior leaders read the charts they shape.
rules.add_perm("governance.manage_process_changes", _is_superuser | _qa_of_the_changes_organisation)

# The regional view.
from cases.models import Organisation  # noqa: E402


@rules.predicate
def _at_an_adoption_agency(user: AnyUser) -> bool:
    staff = staff_of(user)
    return staff is not None and staff.organisation.kind == Organisation.Kind.ADOPTION_AGENCY


# The partner councils' aggregates side by side: the regional lead, and an adoption
# agency's senior leaders and QA service (its partner board). Council staff read their
# own board instead.
rules.add_perm(
    "governance.view_regional",
    _is_superuser
    | has_role(Role.REGIONAL_LEAD)
    | (has_role(Role.SENIOR_LEADER, Role.QA) & _at_an_adoption_agency),
)
