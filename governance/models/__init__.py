"""The governance app's records, a module per feature: the Quality Improvement Action
Plan (`plan.py`) and the board's settings for its charts (`board.py`). Each module's
models are imported here so Django finds them."""

from governance.models.board import ProcessChange
from governance.models.boards import Board
from governance.models.briefs import BRIEF_FIELDS, BriefRead, LearningBrief  # boards feature
from governance.models.meetings import AgendaItem, Decision, Meeting  # boards feature
from governance.models.plan import (
    RAG_COLOURS,
    ExternalReview,
    ImpactEvidence,
    PlanAction,
    PlanUpdate,
    Priority,
    ReAudit,
    ReAuditCase,
)
from governance.models.reports import Report, ReportNarrative
from governance.models.returns import NARRATIVE_FIELDS, ExceptionsReturn, ServiceSummary

__all__ = [
    "Board",
    "ProcessChange",
    "RAG_COLOURS",
    "ExternalReview",
    "ImpactEvidence",
    "PlanAction",
    "PlanUpdate",
    "Priority",
    "ReAudit",
    "ReAuditCase",
    "NARRATIVE_FIELDS",
    "ExceptionsReturn",
    "ServiceSummary",
    "Report",
    "ReportNarrative",
    # Boards and meetings; learning briefs.
    "Meeting",
    "AgendaItem",
    "Decision",
    "BRIEF_FIELDS",
    "LearningBrief",
    "BriefRead",
]

# The Performance and Outcomes cascade above the service, and actions raised in it.
from governance.models.cascade import CascadeSummary, ReturnAction

__all__ += ["CascadeSummary", "ReturnAction"]
