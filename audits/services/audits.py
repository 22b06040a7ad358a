"""Doing an audit: start it, save answers (two editors never overwrite each other),
submit it, respond with management oversight, acknowledge, and track the actions.

Each step that hands the audit to someone tells them through cases.notifications
(submitted: whoever gives oversight; final: the practitioner; an action: its owner;
moderated: the auditor). Messages are e-mailed, so they name the tool and the people
doing the work, never the child or adopter.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from audits.models import (
    Answer,
    Audit,
    AuditAction,
    AuditTool,
    AuditType,
    Grade,
    Respondent,
    ToolQuestion,
    ToolSection,
)
from audits.rules import (
    AuditSection,
    completes_action,
    gives_oversight,
    is_auditor,
    is_practitioner,
    may,
    moderates,
)
from cases.models import Case, Notification, StaffMember
from cases.notifications import notify
from core.autosave import Conflict as Conflict
from core.autosave import SaveResult as SaveResult

if TYPE_CHECKING:
    from rules import Predicate


class AuditStateError(Exception):
    """The audit's state does not allow this; the message says why, for the page."""


def _check(
    *, by: StaffMember, perm: str, obj: Audit, who: Predicate, not_you: str, not_now: str
) -> None:
    """Refuse unless `by` may take the action (its rule in audits.rules), saying whether
    it is not theirs to take (`who`, the rule's own who part, fails) or not now."""
    if not may(by.user, perm, obj):
        raise AuditStateError(not_now if who(by.user, obj) else not_you)


class AuditIncomplete(Exception):
    """Submission refused: each error is (link to the missing answer, message)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(errors)} answers missing")
        self.errors = errors


@transaction.atomic
def audit_create(
    *,
    case: Case,
    tool: AuditTool,
    auditor: StaffMember,
    due_on: datetime.date,
    audit_type: str,
    theme: str = "",
) -> Audit:
    if tool.status != AuditTool.Status.PUBLISHED:
        raise AuditStateError("Choose a published audit tool")
    if tool.organisation_id != case.organisation_id:
        raise AuditStateError("Choose a tool of the case's own organisation")
    if tool.is_for_supervision or audit_type == AuditType.SUPERVISION:
        raise AuditStateError("A supervision audit is of a member of staff, not of a case")
    practitioner = case.allocated_worker
    audit = Audit(
        organisation_id=case.organisation_id,
        case=case,
        tool=tool,
        audit_type=audit_type,
        auditor=auditor,
        practitioner=practitioner,
        line_manager=oversight_manager(case=case, auditor=auditor, practitioner=practitioner),
        due_on=due_on,
        theme=theme,
    )
    audit.full_clean()
    audit.save()
    return audit


@transaction.atomic
def supervision_audit_create(
    *,
    supervisee: StaffMember,
    tool: AuditTool,
    auditor: StaffMember,
    due_on: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
) -> Audit:
    """An audit of the supervision records of `supervisee` between the two dates. Its
    management oversight is given by the supervisee's line manager, whose supervision it
    is (or, when they audit it themselves, by their own line manager)."""
    if tool.status != AuditTool.Status.PUBLISHED:
        raise AuditStateError("Choose a published audit tool")
    if not tool.is_for_supervision:
        raise AuditStateError("Choose a tool for supervision audits")
    if tool.organisation_id != supervisee.organisation_id:
        raise AuditStateError("Choose a tool of the supervisee's own organisation")
    if auditor.organisation_id != supervisee.organisation_id:
        raise AuditStateError("Choose an auditor of the supervisee's own organisation")
    if auditor.pk == supervisee.pk:
        raise AuditStateError("Choose someone else to audit this supervision")
    if period_end < period_start:
        raise AuditStateError("The period must end after it starts")
    audit = Audit(
        organisation_id=supervisee.organisation_id,
        supervisee=supervisee,
        period_start=period_start,
        period_end=period_end,
        tool=tool,
        audit_type=AuditType.SUPERVISION,
        auditor=auditor,
        line_manager=oversight_manager(case=None, auditor=auditor, practitioner=supervisee),
        due_on=due_on,
    )
    audit.full_clean()
    audit.save()
    return audit


def oversight_manager(
    *, case: Case | None, auditor: StaffMember, practitioner: StaffMember | None
) -> StaffMember | None:
    """Who gives management oversight: the practitioner's line manager (of a supervision
    audit: the supervisee's), unless that is the auditor, for nobody oversees their own
    audit. Then the auditor's own line manager, then a service manager of the case's
    service; None when nobody is recorded."""
    candidate = practitioner.line_manager if practitioner else None
    if candidate is not None and candidate.pk != auditor.pk:
        return candidate
    if auditor.line_manager_id and auditor.line_manager_id != auditor.pk:
        return auditor.line_manager
    if case is None:
        return None
    return (
        StaffMember.objects.filter(
            organisation_id=case.organisation_id,
            service_id=case.service_id,
            role=StaffMember.Role.SERVICE_MANAGER,
        )
        .exclude(pk=auditor.pk)
        .order_by("pk")
        .first()
    )


def _started(audit: Audit) -> None:
    if audit.status == Audit.Status.ASSIGNED:
        audit.status = Audit.Status.IN_PROGRESS
        audit.save(update_fields=["status", "updated_at"])


@transaction.atomic
def answers_save(
    *,
    audit: Audit,
    section: ToolSection,
    by: StaffMember,
    values: dict[int, tuple[str, int]],
) -> SaveResult:
    """Save answers given as {question id: (value, revision the editor started from)}.

    An answer someone else changed since the editor loaded it is not overwritten: it
    comes back as a conflict with both versions, and the rest are saved.
    """
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not may(by.user, "audits.fill_section", AuditSection(audit, section)):
        raise AuditStateError("You cannot change this part of the audit")
    questions = {q.pk: q for q in section.questions.all()}
    existing = {
        a.question_id: a
        for a in Answer.objects.select_for_update(of=("self",))
        .filter(audit=audit, question_id__in=questions)
        .select_related("updated_by__user")
    }
    result = SaveResult()
    for question_id, (value, base) in values.items():
        question = questions.get(question_id)
        if question is None:
            continue
        answer = existing.get(question_id) or Answer(audit=audit, question=question)
        key = f"q-{question_id}"
        if answer.value == value:
            result.revisions[key] = answer.revision
            continue
        if answer.revision != base:
            result.conflicts.append(_answer_conflict(answer, question, value, key, by))
            result.revisions[key] = base
            continue
        answer.value = value
        answer.revision += 1
        answer.updated_by = by
        answer.family_link = None
        answer.updated_at = timezone.now()
        answer.save()
        result.saved.append(key)
        result.revisions[key] = answer.revision
    if result.saved:
        _started(audit)
    return result


def _answer_conflict(
    answer: Answer, question: ToolQuestion, yours: str, key: str, by: StaffMember
) -> Conflict:
    return Conflict(
        key=key,
        label=question.text,
        theirs=answer.value,
        yours=yours,
        their_revision=answer.revision,
        changed_by=_changed_by(answer),
        changed_at=answer.updated_at,
        by_you=answer.updated_by_id == by.pk,
    )


def _changed_by(answer: Answer) -> str:
    if answer.updated_by is not None:
        return answer.updated_by.display_name
    if answer.family_link_id is not None:
        return "the family, through a one-use link"
    return "someone"


FINDINGS_FIELDS = ("overall_grade", "grade_rationale", "strengths", "improvements")


@transaction.atomic
def findings_save(
    *, audit: Audit, by: StaffMember, base_revision: int, values: dict[str, str]
) -> SaveResult:
    """Save the overall grade, its rationale, strengths and areas for improvement."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not may(by.user, "audits.edit_findings", audit):
        raise AuditStateError("Only the auditor can change the findings of an open audit")
    if values.get("overall_grade") and values["overall_grade"] not in Grade.values:
        raise AuditStateError("Choose a grade from the list")
    result = SaveResult()
    changed = {f: v for f, v in values.items() if f in FINDINGS_FIELDS and getattr(audit, f) != v}
    if changed and audit.revision != base_revision:
        last = audit.history.select_related("history_user").first()
        for name, yours in changed.items():
            result.conflicts.append(
                Conflict(
                    key=name,
                    label=_field_label(name),
                    theirs=getattr(audit, name),
                    yours=yours,
                    their_revision=audit.revision,
                    changed_by=_history_name(last),
                    changed_at=last.history_date if last else None,
                    by_you=last is not None and last.history_user_id == by.user_id,
                )
            )
        result.revisions["findings"] = base_revision
        return result
    if changed:
        for name, value in changed.items():
            setattr(audit, name, value)
        audit.revision += 1
        if audit.status == Audit.Status.ASSIGNED:
            audit.status = Audit.Status.IN_PROGRESS
        audit.save()
        result.saved = list(changed)
    result.revisions["findings"] = audit.revision
    return result


def _field_label(name: str) -> str:
    field = Audit._meta.get_field(name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name).capitalize()


def _history_name(record: models.Model | None) -> str:
    """Who made a historical record (django-simple-history's `history_user`)."""
    user = getattr(record, "history_user", None)
    return (user.get_full_name() or user.get_username()) if user else "someone"


def _answered(audit: Audit) -> set[int]:
    return set(audit.answers.exclude(value="").values_list("question_id", flat=True))


def reflection_missing(audit: Audit) -> list[ToolSection]:
    """The practitioner's parts with a required answer still missing (none when the case
    has no practitioner: nobody could write them)."""
    if audit.practitioner_id is None:
        return []
    answered = _answered(audit)
    sections = audit.tool.sections.filter(respondent=Respondent.PRACTITIONER)
    return [
        section
        for section in sections.prefetch_related("questions")
        if any(q.required and q.pk not in answered for q in section.questions.all())
    ]


def submission_errors(audit: Audit) -> list[tuple[str, str]]:
    """What stops the auditor submitting, as (link, message): each missing answer the
    auditor can give, the grade and its rationale, and the practitioner's reflection
    while it is not written (which the auditor cannot write for them)."""
    answered = _answered(audit)
    errors = []
    waiting = False
    for section in audit.tool.sections.prefetch_related("questions"):
        url = reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": section.pk})
        for question in section.questions.all():
            if not question.required or question.pk in answered:
                continue
            if section.respondent != Respondent.PRACTITIONER:
                errors.append((f"{url}#{question.anchor}", f"Answer “{question.text}”"))
            elif audit.practitioner_id is not None:
                waiting = True
    if waiting and audit.practitioner is not None:
        submit = reverse("audits:submit", kwargs={"audit_pk": audit.pk})
        name = audit.practitioner.display_name
        errors.insert(0, (f"{submit}#reflection", f"Wait for {name} to write their reflection"))
    findings = reverse("audits:findings", kwargs={"audit_pk": audit.pk})
    if not audit.overall_grade:
        errors.append((f"{findings}#id_overall_grade_1", "Choose an overall grade"))
    if not audit.grade_rationale.strip():
        errors.append((f"{findings}#id_grade_rationale", "Explain why you gave this grade"))
    return errors


@transaction.atomic
def audit_submit(*, audit: Audit, by: StaffMember) -> Audit:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _check(
        by=by,
        perm="audits.submit_audit",
        obj=audit,
        who=is_auditor,
        not_you="Only the auditor can submit this audit",
        not_now="This audit has already been submitted",
    )
    errors = submission_errors(audit)
    if errors:
        raise AuditIncomplete(errors)
    if audit.line_manager_id in (None, audit.auditor_id):
        # Started before anyone was recorded, or by a rule that let the auditor oversee.
        audit.line_manager = oversight_manager(
            case=audit.case,
            auditor=audit.auditor,
            practitioner=audit.practitioner or audit.supervisee,
        )
    if audit.line_manager is None:
        raise AuditStateError(
            "Nobody is recorded to give management oversight of this audit. Ask business "
            f"support to record a line manager for {audit.auditor.display_name}."
        )
    audit.status = Audit.Status.SUBMITTED
    audit.submitted_at = timezone.now()
    _count_for_its_team(audit)
    audit.save(
        update_fields=["status", "submitted_at", "line_manager", "service", "team", "updated_at"]
    )
    notify(
        recipient=audit.line_manager,
        kind=Notification.Kind.ASSIGNMENT,
        subject=(
            f"{audit.auditor.display_name}'s {audit.tool.name} audit is waiting for your "
            "management oversight"
        ),
        url=reverse("audits:oversight", kwargs={"audit_pk": audit.pk}),
        key=f"audit:{audit.pk}:submitted",
    )
    return audit


def _count_for_its_team(audit: Audit) -> None:
    """The service and team the audit's grade counts for from now on: its case's, or its
    supervisee's team's (Audit.service and Audit.team)."""
    if audit.case is not None:
        audit.service_id, audit.team_id = audit.case.service_id, audit.case.team_id
        return
    team = audit.supervisee.team if audit.supervisee is not None else None
    audit.team = team
    audit.service_id = team.service_id if team is not None else None


@transaction.atomic
def audit_remind_practitioner(*, audit: Audit, by: StaffMember) -> bool:
    """The auditor reminds the practitioner to write their reflection, at most once a
    day; False when they were reminded today already."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _check(
        by=by,
        perm="audits.remind_practitioner",
        obj=audit,
        who=is_auditor,
        not_you="Only the auditor can remind the practitioner",
        not_now="This audit has already been submitted",
    )
    if audit.practitioner is None:
        raise AuditStateError("No practitioner is allocated to this case")
    missing = reflection_missing(audit)
    if not missing:
        raise AuditStateError(f"{audit.practitioner.display_name} has written their reflection")
    key = f"audit:{audit.pk}:reflection-reminder:{timezone.localdate().isoformat()}"
    if Notification.objects.filter(recipient=audit.practitioner, key=key).exists():
        return False
    notify(
        recipient=audit.practitioner,
        kind=Notification.Kind.REMINDER,
        subject=(f"{by.display_name} is waiting for your reflection on a {audit.tool.name} audit"),
        body="They cannot submit the audit until you have written it.",
        url=reverse("audits:section", kwargs={"audit_pk": audit.pk, "section_pk": missing[0].pk}),
        key=key,
    )
    return True


def last_reflection_reminder(audit: Audit) -> Notification | None:
    """The latest reminder the practitioner was sent to write their reflection."""
    if audit.practitioner_id is None:
        return None
    return (
        Notification.objects.filter(
            recipient_id=audit.practitioner_id,
            key__startswith=f"audit:{audit.pk}:reflection-reminder:",
        )
        .order_by("-created_at", "-pk")
        .first()
    )


@transaction.atomic
def action_add(
    *,
    audit: Audit,
    description: str,
    owner: StaffMember,
    due_on: datetime.date,
    by: StaffMember,
    source: str = AuditAction.Source.FINDING,
) -> AuditAction:
    if source != AuditAction.Source.OVERSIGHT:
        # Directions from oversight come with the manager's response (its own rule).
        _check(
            by=by,
            perm="audits.add_action",
            obj=audit,
            who=is_auditor,
            not_you="Only the auditor can add actions to this audit",
            not_now="This audit has already been submitted",
        )
    if owner.organisation_id != audit.organisation_id:
        raise AuditStateError("Choose someone from the audit's organisation")
    action = AuditAction(
        organisation_id=audit.organisation_id,
        audit=audit,
        description=description,
        owner=owner,
        due_on=due_on,
        source=source,
        created_by=by,
    )
    action.full_clean()
    action.save()
    if owner.pk != by.pk:
        # The description is free text that may name the child: the message does not.
        notify(
            recipient=owner,
            kind=Notification.Kind.ASSIGNMENT,
            subject=(
                f"{by.display_name} has given you an action from a {audit.tool.name} audit, "
                f"due {_day(due_on)}"
            ),
            url=action.get_absolute_url(),
            key=f"action:{action.pk}:assigned",
        )
    return action


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


@transaction.atomic
def action_complete(*, action: AuditAction, by: StaffMember, note: str = "") -> AuditAction:
    if not may(by.user, "audits.complete_action", action):
        if not completes_action(by.user, action):
            raise AuditStateError("Only the action's owner or the line manager can complete it")
        return action  # Done already.
    action.status = AuditAction.Status.DONE
    action.done_on = timezone.localdate()
    action.done_note = note
    action.save()
    return action


@dataclass
class Direction:
    description: str
    owner: StaffMember
    due_on: datetime.date


@transaction.atomic
def audit_oversight(
    *,
    audit: Audit,
    by: StaffMember,
    text: str,
    agrees: bool,
    grade: str = "",
    directions: list[Direction],
) -> Audit:
    """The manager's response: whether they agree with the grade (and the grade they
    would give if not), oversight and directions with timescales. Final."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _check(
        by=by,
        perm="audits.give_oversight",
        obj=audit,
        who=gives_oversight,
        not_you="Only the manager giving oversight can respond to this audit",
        not_now="This audit is not waiting for management oversight",
    )
    if not text.strip():
        raise AuditStateError("Enter your management oversight")
    if not agrees and grade not in Grade.values:
        raise AuditStateError("Choose the grade you would give")
    for direction in directions:
        action_add(
            audit=audit,
            description=direction.description,
            owner=direction.owner,
            due_on=direction.due_on,
            by=by,
            source=AuditAction.Source.OVERSIGHT,
        )
    audit.oversight = text
    audit.oversight_agrees = agrees
    audit.oversight_grade = "" if agrees else grade
    audit.oversight_by = by
    audit.oversight_at = timezone.now()
    audit.status = Audit.Status.FINAL
    audit.save()
    notify(
        recipient=audit.practitioner or audit.supervisee,
        kind=Notification.Kind.INFORMATION,
        subject=f"Your {audit.tool.name} audit is final: read it and acknowledge it",
        url=audit.get_absolute_url(),
        key=f"audit:{audit.pk}:final",
    )
    return audit


@transaction.atomic
def audit_acknowledge(*, audit: Audit, by: StaffMember, comment: str = "") -> Audit:
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if not may(by.user, "audits.acknowledge_audit", audit):
        if not is_practitioner(by.user, audit):
            raise AuditStateError("Only the practitioner can acknowledge this audit")
        if audit.status != Audit.Status.FINAL:
            raise AuditStateError(
                "The audit can be acknowledged once the line manager has responded"
            )
    else:
        audit.acknowledged_at = timezone.now()
        audit.acknowledgement = comment
        audit.save(update_fields=["acknowledged_at", "acknowledgement", "updated_at"])
    return audit


@transaction.atomic
def audit_moderate(*, audit: Audit, by: StaffMember, grade: str, feedback: str) -> Audit:
    """QA moderation of a submitted audit: the grade the moderator would give and
    feedback to the auditor on the audit's quality. The auditor's grade stands."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    _check(
        by=by,
        perm="audits.moderate_audit",
        obj=audit,
        who=moderates,
        not_you="Only the QA service of this organisation can moderate audits",
        not_now="Only a submitted audit, not yet final, can be moderated",
    )
    if grade not in Grade.values:
        raise AuditStateError("Choose the grade you would give")
    if not feedback.strip():
        raise AuditStateError("Enter your feedback to the auditor")
    audit.moderated_grade = grade
    audit.moderation_feedback = feedback
    audit.moderated_by = by
    audit.moderated_at = timezone.now()
    audit.status = Audit.Status.MODERATED
    audit.save()
    notify(
        recipient=audit.auditor,
        kind=Notification.Kind.INFORMATION,
        subject=f"{by.display_name} has moderated your {audit.tool.name} audit",
        body="Read the QA service's feedback on the audit.",
        url=f"{audit.get_absolute_url()}#moderation",
        key=f"audit:{audit.pk}:moderated",
    )
    return audit
