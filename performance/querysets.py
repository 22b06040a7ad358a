"""Who may see which performance records: built on the scoping in cases/querysets.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets import CaseScopedQuerySet, OrganisationQuerySet
from cases.roles import Role

if TYPE_CHECKING:
    from performance.models import DataQualityIssue, ImportRun  # noqa: F401


class ImportRunQuerySet(OrganisationQuerySet["ImportRun"]):
    """Runs of the user's own organisation, for the roles that read them."""

    readers = frozenset({Role.BUSINESS_SUPPORT, Role.QA})


class DataQualityIssueQuerySet(CaseScopedQuerySet["DataQualityIssue"]):
    """Issues on the cases `user` may see: the one scoping rule, through the case."""

    def current(self) -> DataQualityIssueQuerySet:
        """Issues still waiting for someone: open or chased."""
        return self.filter(status__in=self.model.ACTIVE_STATUSES)
