"""Who may see which performance records: built on the scoping in cases/querysets.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cases.querysets import CaseScopedQuerySet, OrganisationQuerySet
from cases.roles import Role

if TYPE_CHECKING:
    from performance.models import (  # noqa: F401
        AlertRule,
        Benchmark,
        DataQualityIssue,
        FocusedAuditProposal,
        ImportRun,
        IndicatorFact,
        IndicatorValue,
        KpqNarrative,
        Target,
    )


class ImportRunQuerySet(OrganisationQuerySet["ImportRun"]):
    """Runs of the user's own organisation, for the roles that read them."""

    readers = frozenset({Role.BUSINESS_SUPPORT, Role.QA})


class DataQualityIssueQuerySet(CaseScopedQuerySet["DataQualityIssue"]):
    """Issues on the cases `user` may see: the one scoping rule, through the case."""

    def current(self) -> DataQualityIssueQuerySet:
        """Issues still waiting for someone: open or chased."""
        return self.filter(status__in=self.model.ACTIVE_STATUSES)


# Figures and what is read beside them: aggregates of an organisation, which every member
# of its staff reads (the regional lead none).


class IndicatorValueQuerySet(OrganisationQuerySet["IndicatorValue"]):
    pass


class IndicatorFactQuerySet(CaseScopedQuerySet["IndicatorFact"]):
    """The records behind the figures: seen by whoever sees their case."""


class TargetQuerySet(OrganisationQuerySet["Target"]):
    pass


class BenchmarkQuerySet(OrganisationQuerySet["Benchmark"]):
    pass


class KpqNarrativeQuerySet(OrganisationQuerySet["KpqNarrative"]):
    pass


class AlertRuleQuerySet(OrganisationQuerySet["AlertRule"]):
    pass


class FocusedAuditProposalQuerySet(OrganisationQuerySet["FocusedAuditProposal"]):
    pass
