"""The family's part of a collaborative practice review, answered by the family themselves
through a one-use link (cases/links.py, purpose `FAMILY_LINK_PURPOSE`, target the audit).

Whoever may record the family's feedback makes the link (`audits.link_family`) while the
audit is open and the family's part is empty. The family's answers are stored as that
part's answers, each naming the link it came through, and the auditor is told. The family
can answer only while the audit is open and nobody has answered the part meanwhile
(`family_part_closed`); their answers never overwrite anyone's.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audits.models import FAMILY_LINK_PURPOSE, Answer, Audit, Respondent, ToolSection
from audits.rules import AuditSection, may
from audits.services.audits import AuditStateError
from cases import links
from cases.models import FamilyLink, Notification, StaffMember
from cases.notifications import notify

# What the family read when their answers can no longer be taken, and why.
CLOSED_SUBMITTED = "The review these questions were for has been finished"
CLOSED_ANSWERED = "These questions have already been answered"


def family_sections(audit: Audit) -> list[ToolSection]:
    """The audit's tool version's sections for the family, in order, with their questions."""
    return list(
        audit.tool.sections.filter(respondent=Respondent.FAMILY).prefetch_related("questions")
    )


def _family_answered(audit: Audit) -> bool:
    return (
        Answer.objects.filter(audit=audit, question__section__respondent=Respondent.FAMILY)
        .exclude(value="")
        .exists()
    )


def family_part_closed(*, audit_pk: int, lock: bool = False) -> str:
    """Why the family's answers can no longer be taken for the audit, or "" while they can.
    With `lock`, the audit's row stays locked to the end of the transaction, so nothing
    changes between this answer and storing the family's."""
    audits = Audit.objects.select_for_update() if lock else Audit.objects.all()
    audit = audits.filter(pk=audit_pk).first()
    if audit is None or not audit.is_editable:
        return CLOSED_SUBMITTED
    if _family_answered(audit):
        return CLOSED_ANSWERED
    return ""


def _part(audit: Audit, section: ToolSection, by: StaffMember) -> None:
    if section.respondent != Respondent.FAMILY:
        raise AuditStateError("Links are for the family's part of the audit")
    if not may(by.user, "audits.link_family", AuditSection(audit, section)):
        if not audit.is_editable:
            raise AuditStateError("This audit has been submitted")
        raise AuditStateError("You cannot make links for this audit")


@transaction.atomic
def family_link_make(
    *,
    audit: Audit,
    section: ToolSection,
    by: StaffMember,
    audience: str,
    days: int,
    recipient: str = "",
) -> links.NewLink:
    """A one-use link for the family to answer their part; its address is in the result,
    once."""
    audit = Audit.objects.select_for_update(of=("self",)).select_related("case").get(pk=audit.pk)
    _part(audit, section, by)
    if audit.case is None:
        raise AuditStateError("Only an audit of a case has a family to ask")
    if not any(s.questions.all() for s in family_sections(audit)):
        raise AuditStateError("The family's part has no questions to ask")
    if _family_answered(audit):
        raise AuditStateError(
            "The family's part already has answers. A link is for a family whose part is "
            "still empty."
        )
    try:
        return links.family_link_create(
            case=audit.case,
            purpose=FAMILY_LINK_PURPOSE,
            created_by=by,
            days=days,
            audience=audience,
            recipient=recipient,
            target_id=audit.pk,
        )
    except links.LinkError as error:
        raise AuditStateError(str(error)) from error


def family_link_withdraw(
    *, audit: Audit, section: ToolSection, by: StaffMember, link_id: int
) -> FamilyLink:
    """Stop one of the audit's unused links from opening. The audit's row is not locked:
    the link's is, as answering it locks the link before the audit."""
    _part(audit, section, by)
    if audit.case_id is None:
        raise AuditStateError("Only an audit of a case has a family to ask")
    link = FamilyLink.objects.filter(
        pk=link_id, purpose=FAMILY_LINK_PURPOSE, target_id=audit.pk, case_id=audit.case_id
    ).first()
    if link is None:
        raise AuditStateError("That link is not one of this audit's")
    try:
        return links.family_link_withdraw(link=link)
    except links.LinkError as error:
        raise AuditStateError(str(error)) from error


def family_answers_from_link(*, link: FamilyLink, values: dict[int, str]) -> Audit:
    """Store the family's answers, {question id: value as stored}, as the audit's family
    part (inside the transaction that uses the link up), stop the audit's other links and
    tell the auditor. Refused if the part can no longer take them (the form says so first,
    under the same lock)."""
    if link.purpose != FAMILY_LINK_PURPOSE or link.target_id is None:
        raise AuditStateError("This link is not for an audit")
    closed = family_part_closed(audit_pk=link.target_id, lock=True)
    if closed:
        raise AuditStateError(closed)
    audit = Audit.objects.select_related("tool", "auditor__user").get(
        pk=link.target_id, case_id=link.case_id
    )
    questions = {q.pk for s in family_sections(audit) for q in s.questions.all()}
    existing = {
        a.question_id: a
        for a in Answer.objects.select_for_update().filter(audit=audit, question_id__in=questions)
    }
    now = timezone.now()
    for question_id, value in values.items():
        if question_id not in questions or not value:
            continue
        answer = existing.get(question_id) or Answer(audit=audit, question_id=question_id)
        answer.value = value
        answer.revision += 1
        answer.updated_by = None
        answer.updated_at = now
        answer.family_link = link
        answer.save()
    if audit.status == Audit.Status.ASSIGNED:
        audit.status = Audit.Status.IN_PROGRESS
        audit.save(update_fields=["status", "updated_at"])
    FamilyLink.objects.filter(
        purpose=FAMILY_LINK_PURPOSE,
        target_id=audit.pk,
        case_id=link.case_id,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
    ).exclude(pk=link.pk).update(withdrawn_at=now)
    first = family_sections(audit)[0]
    notify(
        recipient=audit.auditor,
        kind=Notification.Kind.INFORMATION,
        subject=f"The family have answered their part of a {audit.tool.name} audit",
        body="They answered through the one-use link made for them. Read what they said.",
        url=reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": first.pk}),
        key=f"audit:{audit.pk}:family-link:{link.pk}",
    )
    return audit
