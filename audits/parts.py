"""The parts of an audit as the people doing it see them: the tool's sections, then the
auditor's findings; for each, who fills it in, whose turn it is and where it stands.

A collaborative practice review passes between the auditor and the practitioner, so
each part says whose it is in the reader's own terms ("For you, the auditor", "Waiting
for Sam Okafor") and the numbering counts every part ("Part 1 of 4").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from audits.models import Audit, Respondent, ToolSection
from audits.rules import may, may_fill
from audits.selectors import audit_sections
from cases.models import StaffMember


@dataclass(frozen=True)
class Part:
    """One part of an audit as its task list shows it: whose it is, and where it stands."""

    number: int
    title: str
    url: str
    key: str
    # Who fills it in, as the reader should read it ("You", "Sam Okafor, the practitioner").
    whose: str
    mine: bool
    # (text, GOV.UK tag colour or "" for plain text) and whether it is complete.
    state: tuple[str, str]
    complete: bool
    answered: int
    total: int
    section: ToolSection | None = None


def _name(person: StaffMember | None, staff: StaffMember | None) -> str:
    if person is None:
        return ""
    return "you" if staff is not None and person.pk == staff.pk else person.display_name


def _whose(audit: Audit, respondent: str, staff: StaffMember | None) -> str:
    auditor = _name(audit.auditor, staff)
    practitioner = _name(audit.practitioner, staff)
    if respondent == Respondent.PRACTITIONER:
        if not practitioner:
            return "The practitioner's reflection: no practitioner is allocated to the case"
        if practitioner == "you":
            return "For you: your reflection as the practitioner"
        return f"For {practitioner}, the practitioner: their reflection"
    if respondent == Respondent.FAMILY and practitioner:
        return f"For {auditor} or {practitioner}: the family's feedback"
    return "For you, the auditor" if auditor == "you" else f"For {auditor}, the auditor"


def _state(
    *, complete: bool, started: bool, mine: bool, waiting_for: str, needed: bool = True
) -> tuple[str, str]:
    if complete:
        return ("Completed", "")
    if not needed:
        return ("Not needed", "")
    if not mine:
        return (f"Waiting for {waiting_for}", "yellow")
    return ("In progress", "light-blue") if started else ("Not started", "blue")


def audit_parts(*, audit: Audit, staff: StaffMember | None) -> list[Part]:
    """The audit's parts, in order: the tool's sections, then the auditor's findings."""
    sections = audit_sections(audit=audit)
    parts = []
    for number, section in enumerate(sections, start=1):
        mine = may_fill(audit=audit, section=section, staff=staff)
        practitioners = section.respondent == Respondent.PRACTITIONER
        waiting_for = _name(audit.practitioner if practitioners else audit.auditor, staff)
        if section.respondent == Respondent.FAMILY and audit.practitioner_id:
            waiting_for += f" or {_name(audit.practitioner, staff)}"
        complete = section.answered > 0 and not section.required_missing
        parts.append(
            Part(
                number=number,
                title=section.title,
                url=reverse(
                    "audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk}
                ),
                key=str(section.pk),
                whose=_whose(audit, section.respondent, staff),
                mine=mine,
                state=_state(
                    complete=complete,
                    started=section.answered > 0,
                    mine=mine,
                    waiting_for=waiting_for,
                    needed=not practitioners or audit.practitioner_id is not None,
                ),
                complete=complete,
                answered=section.answered,
                total=section.total,
                section=section,
            )
        )
    findings = (audit.overall_grade, audit.grade_rationale.strip())
    mine = staff is not None and may(staff.user, "audits.edit_findings", audit)
    parts.append(
        Part(
            number=len(sections) + 1,
            title="Findings and overall grade",
            url=reverse("audits:findings", kwargs={"audit_pk": audit.pk}),
            key="findings",
            whose=_whose(audit, Respondent.AUDITOR, staff)
            + ": grade, why, strengths and areas for improvement",
            mine=mine,
            state=_state(
                complete=all(findings),
                started=any(findings),
                mine=mine,
                waiting_for=_name(audit.auditor, staff),
            ),
            complete=all(findings),
            answered=sum(1 for f in findings if f),
            total=2,
        )
    )
    return parts
