"""A year of demo audits: who audits what, the plan of each audit, and writing them
through the audit services (or, for the large demo, in bulk)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from audits.demo.content import (
    ACKNOWLEDGEMENTS,
    AGENCY_BANK,
    COUNCIL_BANK,
    DIP_SAMPLE,
    EDITABLE,
    LARGE_AUDITS,
    OVERSIGHT,
    PRACTICE_REVIEW,
    RATIONALE,
    SEED,
    SUPERVISION,
    THEMES,
)
from audits.demo.tools import AnswerContext, ToolSet, _skipped, answer_value
from audits.models import (
    GOOD_OR_BETTER,
    Answer,
    Audit,
    AuditAction,
    AuditTool,
    AuditType,
    Grade,
    Respondent,
)
from audits.services import audits as audit_services
from cases.demo import names
from cases.demo.moments import days_after as _days
from cases.demo.moments import working_moment as _at
from cases.models import Case, Notification, Organisation, StaffMember

# --- Who is who ----------------------------------------------------------------------


class People:
    """The organisation's managers, and the demo logins when they work here."""

    def __init__(self, org: Organisation) -> None:
        staff = list(
            StaffMember.objects.filter(organisation=org)
            .select_related("user", "team", "service", "line_manager")
            .order_by("pk")
        )
        self.team_manager_of = {
            s.team_id: s for s in staff if s.role == StaffMember.Role.TEAM_MANAGER
        }
        self.service_managers = [s for s in staff if s.role == StaffMember.Role.SERVICE_MANAGER]
        self.managers = list(self.team_manager_of.values()) + self.service_managers
        self.managers += [
            s
            for s in staff
            if s.role == StaffMember.Role.SENIOR_LEADER
            and s.tier == StaffMember.Tier.HEAD_OF_SERVICE
        ]
        self.by_username = {s.user.username: s for s in staff}

    def login(self, username: str) -> StaffMember | None:
        return self.by_username.get(username)


def _cases(org: Organisation) -> list[Case]:
    """Allocated cases (of children, in a council) that an audit could look at."""
    cases = Case.objects.filter(organisation=org, allocated_worker__isnull=False)
    if org.kind != Organisation.Kind.ADOPTION_AGENCY:
        cases = cases.filter(child__isnull=False)
    return list(
        cases.select_related(
            "service", "team", "allocated_worker__user", "child", "adopter"
        ).order_by("pk")
    )


# --- Plans: what each demo audit will be ----------------------------------------------


@dataclass
class Plan:
    case: Case
    auditor: StaffMember
    tool_code: str
    audit_type: str
    status: str
    created: datetime.date
    due: datetime.date
    grade: str
    submitted: datetime.date | None = None
    oversight: datetime.date | None = None
    acknowledged: datetime.date | None = None
    theme: str = ""
    # For audits still open: how much of the auditor's part is answered, and whether the
    # practitioner has written their reflection.
    progress: float = 1.0
    reflected: bool = True
    directions: int = 0
    # How many of the directions to leave open (None: by their age).
    open_actions: int | None = None
    no_feedback: bool = False


@dataclass
class Picker:
    """Chooses cases and auditors for the random audits, without repeating a case."""

    cases: list[Case]
    people: People
    rng: random.Random
    used: set[int] = field(default_factory=set)
    # Kept for the demo logins' own audits (set in the first council only).
    reserved_workers: set[int] = field(default_factory=set)
    quiet_teams: set[int] = field(default_factory=set)
    quiet_auditors: set[int] = field(default_factory=set)

    def case(self, day: datetime.date, still_open: bool) -> Case | None:
        def fits(case: Case) -> bool:
            if case.pk in self.used or case.allocated_worker_id in self.reserved_workers:
                return False
            if still_open and (case.closed_on is not None or case.team_id in self.quiet_teams):
                return False
            closed_in_time = case.closed_on is None or case.closed_on >= day
            return case.opened_on <= _days(day, -21) and closed_in_time

        candidates = [c for c in self.cases if fits(c)]
        if not candidates:
            return None
        chosen = self.rng.choice(candidates)
        self.used.add(chosen.pk)
        return chosen

    def auditor(self, case: Case, still_open: bool) -> StaffMember:
        own = self.people.team_manager_of.get(case.team_id)
        others = [m for m in self.people.managers if m is not own]
        if still_open:
            others = [m for m in others if m.pk not in self.quiet_auditors]
            if own is not None and own.pk in self.quiet_auditors:
                own = None
        if own is not None and (self.rng.random() < 0.7 or not others):
            return own
        return self.rng.choice(others)


def _grade(rng: random.Random, age: int) -> str:
    """Better grades in recent months: the trend the audits should show as practice improves."""
    recency = max(0.0, 1 - age / 365)
    if rng.random() < 0.3 + 0.45 * recency:
        return Grade.OUTSTANDING if rng.random() < 0.15 else Grade.GOOD
    if rng.random() < 0.3 - 0.15 * recency:
        return Grade.INADEQUATE
    return Grade.REQUIRES_IMPROVEMENT


@dataclass
class Timeline:
    created: datetime.date
    due: datetime.date
    age: int
    submitted: datetime.date | None = None
    oversight: datetime.date | None = None
    acknowledged: datetime.date | None = None


def _final_timeline(rng: random.Random, today: datetime.date, age: int) -> Timeline:
    submitted = _days(today, -age)
    due = _days(submitted, rng.randint(-3, 7))
    oversight = _days(submitted, rng.randint(2, max(2, min(14, age - 3))))
    left = (today - oversight).days
    acknowledged = None
    if left >= 2 and rng.random() < 0.9:
        acknowledged = _days(oversight, rng.randint(1, min(10, left)))
    return Timeline(_days(due, -rng.randint(21, 35)), due, age, submitted, oversight, acknowledged)


def _timeline(rng: random.Random, today: datetime.date, status: str, age: int) -> Timeline:
    if status == Audit.Status.FINAL:
        return _final_timeline(rng, today, age)
    if status == Audit.Status.SUBMITTED:
        submitted = _days(today, -age)
        due = _days(submitted, rng.randint(-2, 6))
        return Timeline(_days(due, -rng.randint(21, 35)), due, age, submitted)
    if status == Audit.Status.IN_PROGRESS:
        due = _days(today, rng.randint(-6, 14))
        return Timeline(min(_days(due, -rng.randint(21, 35)), _days(today, -7)), due, 0)
    due = _days(today, rng.randint(5, 28))
    return Timeline(_days(today, -rng.randint(0, 10)), due, 0)


@dataclass(frozen=True)
class Mix:
    final: int
    submitted: int
    in_progress: int
    assigned: int


MIXES = {
    "first": Mix(final=21, submitted=3, in_progress=2, assigned=2),
    "council": Mix(final=23, submitted=3, in_progress=2, assigned=2),
    "raa": Mix(final=15, submitted=2, in_progress=2, assigned=1),
}


def _timelines(rng: random.Random, today: datetime.date, mix: Mix) -> list[tuple[str, Timeline]]:
    span = 340 / mix.final
    rows = [
        (
            Audit.Status.FINAL,
            _timeline(rng, today, Audit.Status.FINAL, int(20 + (k + rng.random()) * span)),
        )
        for k in range(mix.final)
    ]
    rows += [
        (Audit.Status.SUBMITTED, _timeline(rng, today, Audit.Status.SUBMITTED, rng.randint(2, 16)))
        for _ in range(mix.submitted)
    ]
    rows += [
        (status, _timeline(rng, today, status, 0))
        for status, n in (
            (Audit.Status.IN_PROGRESS, mix.in_progress),
            (Audit.Status.ASSIGNED, mix.assigned),
        )
        for _ in range(n)
    ]
    return sorted(rows, key=lambda row: row[1].created)


def _kind_of_audit(index: int, main: str) -> tuple[str, str, str]:
    """(tool code, audit type, theme) for the index-th random audit, oldest first."""
    theme = THEMES[(index // 10) % len(THEMES)]
    slot = index % 10
    if slot == 3:
        return DIP_SAMPLE, AuditType.THEMATIC, theme
    if slot == 7:
        return SUPERVISION, AuditType.REGULAR if index % 20 < 10 else AuditType.FOCUSED, ""
    if slot == 9 and main == PRACTICE_REVIEW:
        return main, AuditType.THEMATIC, theme
    if slot == 5:
        return main, AuditType.FOCUSED, ""
    return main, AuditType.REGULAR, ""


def _random_plans(picker: Picker, today: datetime.date, mix: Mix, main: str) -> list[Plan]:
    rng = picker.rng
    plans = []
    for index, (status, t) in enumerate(_timelines(rng, today, mix)):
        still_open = status != Audit.Status.FINAL
        case = picker.case(t.created, still_open)
        if case is None:
            continue
        code, audit_type, theme = _kind_of_audit(index, main)
        plans.append(
            Plan(
                case=case,
                auditor=picker.auditor(case, still_open),
                tool_code=code,
                audit_type=audit_type,
                status=status,
                created=t.created,
                due=t.due,
                grade=_grade(rng, t.age),
                submitted=t.submitted,
                oversight=t.oversight,
                acknowledged=t.acknowledged,
                theme=theme,
                progress=rng.uniform(0.3, 0.9) if status == Audit.Status.IN_PROGRESS else 1.0,
                reflected=status != Audit.Status.IN_PROGRESS or rng.random() < 0.5,
                directions=rng.randint(1, 3),
                no_feedback=rng.random() < 0.15,
            )
        )
    return plans


# The demo logins' own audits: (status, auditor, whose case, tool, days from today of
# created, due, submitted, oversight, acknowledged; grade, progress, reflected, open actions)
@dataclass(frozen=True)
class Pinned:
    status: str
    auditor: str
    worker: str
    tool: str
    days: tuple[int | None, ...]
    grade: str = Grade.GOOD
    progress: float = 1.0
    reflected: bool = True
    open_actions: int | None = None


TM, SM, OTHER_TM, PRAC, PRAC2 = (
    names.TEAM_MANAGER_LOGIN,
    "service manager",
    "other tm",
    "practitioner",
    "p2",
)
RI = Grade.REQUIRES_IMPROVEMENT
PINNED = (
    # team.manager has three to complete, with the practitioner's reflection still to add
    Pinned(Audit.Status.ASSIGNED, TM, PRAC, PRACTICE_REVIEW, (-3, 12, None, None, None)),
    Pinned(
        Audit.Status.IN_PROGRESS,
        TM,
        PRAC,
        PRACTICE_REVIEW,
        (-20, 5, None, None, None),
        grade=RI,
        progress=0.4,
        reflected=False,
    ),
    Pinned(
        Audit.Status.IN_PROGRESS,
        TM,
        PRAC,
        PRACTICE_REVIEW,
        (-30, -2, None, None, None),
        progress=1.0,
        reflected=False,
    ),
    # two submitted by others, waiting for team.manager's oversight
    Pinned(Audit.Status.SUBMITTED, SM, PRAC, PRACTICE_REVIEW, (-32, -3, -4, None, None)),
    Pinned(
        Audit.Status.SUBMITTED, OTHER_TM, PRAC2, SUPERVISION, (-38, -8, -9, None, None), grade=RI
    ),
    # the practitioner has one to acknowledge, with two open directions
    Pinned(
        Audit.Status.FINAL,
        TM,
        PRAC,
        PRACTICE_REVIEW,
        (-40, -12, -12, -6, None),
        grade=RI,
        open_actions=2,
    ),
    # and an older one, acknowledged, with one direction done and one overdue
    Pinned(
        Audit.Status.FINAL,
        SM,
        PRAC,
        PRACTICE_REVIEW,
        (-95, -68, -70, -63, -60),
        grade=Grade.GOOD,
        open_actions=1,
    ),
)


def _pinned_people(people: People) -> dict[str, StaffMember] | None:
    manager, practitioner = people.login(TM), people.login(PRAC)
    if manager is None or practitioner is None:
        return None
    colleagues = [
        s
        for s in people.by_username.values()
        if s.team_id == manager.team_id
        and s.role == StaffMember.Role.PRACTITIONER
        and s.pk != practitioner.pk
    ]
    service_kind = manager.team.service.kind if manager.team else ""
    service_managers = [m for m in people.service_managers if m.service.kind == service_kind]
    others = [m for t, m in people.team_manager_of.items() if t != manager.team_id]
    return {
        TM: manager,
        PRAC: practitioner,
        PRAC2: colleagues[0] if colleagues else practitioner,
        SM: (service_managers or people.service_managers or [manager])[0],
        OTHER_TM: next((m for m in others if m.service_id == manager.service_id), others[0]),
    }


def _pinned_plans(picker: Picker, today: datetime.date) -> list[Plan]:
    who = _pinned_people(picker.people)
    if who is None:
        return []
    picker.reserved_workers.add(who[PRAC].pk)
    picker.quiet_teams.add(who[TM].team_id)
    picker.quiet_auditors.add(who[TM].pk)
    plans = []
    for pin in PINNED:
        created, due, submitted, oversight, acknowledged = (
            None if d is None else _days(today, d) for d in pin.days
        )
        mine = [
            c
            for c in picker.cases
            if c.allocated_worker_id == who[pin.worker].pk
            and c.closed_on is None
            and c.pk not in picker.used
        ]
        if not mine:
            continue
        case = min(mine, key=lambda c: (c.opened_on > _days(created, -21), c.pk))
        picker.used.add(case.pk)
        plans.append(
            Plan(
                case=case,
                auditor=who[pin.auditor],
                tool_code=pin.tool,
                audit_type=AuditType.REGULAR,
                status=pin.status,
                created=created,
                due=due,
                grade=pin.grade,
                submitted=submitted,
                oversight=oversight,
                acknowledged=acknowledged,
                progress=pin.progress,
                reflected=pin.reflected,
                directions=2,
                open_actions=pin.open_actions,
            )
        )
    return plans


# --- Doing the audits through the services -------------------------------------------


class Writer:
    """Turns plans into audits through the services, then back-dates them."""

    def __init__(self, tools: ToolSet, rng: random.Random, today: datetime.date) -> None:
        self.tools = tools
        self.rng = rng
        self.today = today
        agency = tools.org.kind == Organisation.Kind.ADOPTION_AGENCY
        self.bank = AGENCY_BANK if agency else COUNCIL_BANK

    def write(self, plan: Plan) -> Audit:
        tool = self.tools.for_day(plan.tool_code, plan.created)
        audit = audit_services.audit_create(
            case=plan.case,
            tool=tool,
            auditor=plan.auditor,
            due_on=plan.due,
            audit_type=plan.audit_type,
            theme=plan.theme,
        )
        if plan.status != Audit.Status.ASSIGNED:
            self._answer(audit, tool, plan)
        if plan.status not in EDITABLE:
            self._findings(audit, plan)
            audit = audit_services.audit_submit(audit=audit, by=plan.auditor)
        if plan.status == Audit.Status.FINAL:
            self._oversee(audit, plan)
        self._backdate(audit, plan)
        return audit

    def _answer_day(self, plan: Plan) -> datetime.date:
        if plan.submitted:
            return _days(plan.submitted, -self.rng.randint(0, 3))
        return min(_days(plan.created, self.rng.randint(3, 10)), self.today)

    def _answer(self, audit: Audit, tool: AuditTool, plan: Plan) -> None:
        ctx = AnswerContext(
            grade=plan.grade,
            day=self._answer_day(plan),
            case=plan.case,
            theme=plan.theme,
            no_feedback=plan.no_feedback,
        )
        auditor_parts = 0
        for section, questions in self.tools.questions(tool):
            practitioner_part = section.respondent == Respondent.PRACTITIONER
            if practitioner_part and not plan.reflected:
                continue
            if not practitioner_part:
                auditor_parts += 1
                if plan.progress < 1:
                    # A half-done audit: the auditor stopped part-way through the first part.
                    if auditor_parts > 1:
                        continue
                    questions = questions[: max(1, round(len(questions) * plan.progress))]
            values = {
                q.pk: (answer_value(section, q, ctx, self.rng), 0)
                for q in questions
                if not _skipped(section, q, ctx)
            }
            by = audit.practitioner if practitioner_part else plan.auditor
            if values:
                audit_services.answers_save(audit=audit, section=section, by=by, values=values)

    def _findings(self, audit: Audit, plan: Plan) -> None:
        rng = self.rng
        poor = plan.grade not in GOOD_OR_BETTER
        values = {
            "overall_grade": plan.grade,
            "grade_rationale": rng.choice(RATIONALE[plan.grade]),
            "strengths": " ".join(rng.sample(self.bank.strengths, 1 if poor else 2)),
            "improvements": " ".join(rng.sample(self.bank.improvements, 2 if poor else 1)),
        }
        audit_services.findings_save(audit=audit, by=plan.auditor, base_revision=0, values=values)
        if poor and rng.random() < 0.4:
            audit_services.action_add(
                audit=audit,
                description=rng.choice(self.bank.directions),
                owner=audit.practitioner or plan.auditor,
                due_on=_days(plan.submitted or self.today, rng.randint(14, 28)),
                by=plan.auditor,
            )

    def _directions(self, audit: Audit, plan: Plan) -> list[audit_services.Direction]:
        rng = self.rng
        owners = [audit.practitioner or audit.line_manager] * 3 + [audit.line_manager]
        pinned = plan.open_actions is not None
        return [
            audit_services.Direction(
                description=text,
                owner=owners[0] if pinned else rng.choice(owners),
                due_on=_days(plan.oversight, rng.randint(14, 42)),
            )
            for text in rng.sample(self.bank.directions, plan.directions)
        ]

    def _oversee(self, audit: Audit, plan: Plan) -> None:
        band = "good" if plan.grade in GOOD_OR_BETTER else "poor"
        first = audit.practitioner.user.first_name if audit.practitioner else ""
        text = self.rng.choice(OVERSIGHT[band]).format(first=first or "everyone")
        # Managers agree with a good grade and question one poorer grade in three (by the
        # case, not the random stream, so the rest of the demo stays as it was).
        agrees = band == "good" or audit.case_id % 3 != 0
        other = (
            Grade.INADEQUATE
            if plan.grade == Grade.REQUIRES_IMPROVEMENT
            else Grade.REQUIRES_IMPROVEMENT
        )
        audit_services.audit_oversight(
            audit=audit,
            by=audit.line_manager,
            text=text,
            agrees=agrees,
            grade="" if agrees else other,
            directions=self._directions(audit, plan),
        )
        self._close_actions(audit, plan)
        if plan.acknowledged and audit.practitioner:
            audit_services.audit_acknowledge(
                audit=audit, by=audit.practitioner, comment=self.rng.choice(ACKNOWLEDGEMENTS)
            )

    def _close_actions(self, audit: Audit, plan: Plan) -> None:
        actions = list(audit.actions.select_related("audit").order_by("due_on", "pk"))
        if plan.open_actions is not None:
            done = actions[: max(0, len(actions) - plan.open_actions)]
        else:
            late = _days(self.today, -7)
            done = [a for a in actions if a.due_on < late and self.rng.random() < 0.8]
        for action in done:
            audit_services.action_complete(action=action, by=action.owner, note="Done.")
            done_on = _days(action.due_on, self.rng.randint(-12, 3))
            done_on = min(max(done_on, plan.oversight or done_on), self.today)
            AuditAction.objects.filter(pk=action.pk).update(done_on=done_on)

    def _backdate(self, audit: Audit, plan: Plan) -> None:
        rng = self.rng
        created = _at(plan.created, rng)
        moments = {
            "created_at": created,
            "submitted_at": _at(plan.submitted, rng) if plan.submitted else None,
            "oversight_at": _at(plan.oversight, rng) if plan.oversight else None,
            "acknowledged_at": _at(plan.acknowledged, rng) if plan.acknowledged else None,
        }
        if plan.status != Audit.Status.FINAL:
            moments.pop("oversight_at")
        if not plan.acknowledged:
            moments.pop("acknowledged_at")
        last = max(m for m in moments.values() if m is not None)
        Audit.objects.filter(pk=audit.pk).update(updated_at=last, **moments)
        answered = moments["submitted_at"] or _at(self._answer_day(plan), rng)
        Answer.objects.filter(audit=audit).update(updated_at=max(answered, created))
        if plan.oversight:
            AuditAction.objects.filter(audit=audit).update(created_at=_at(plan.oversight, rng))
        self._backdate_notifications(audit, moments, last)

    def _backdate_notifications(
        self, audit: Audit, moments: dict[str, datetime.datetime | None], last: datetime.datetime
    ) -> None:
        """The notifications the services sent while the demo wrote this audit date from
        what they tell of; none is e-mailed, and only the last week's are unread."""
        when = {
            f"audit:{audit.pk}:submitted": moments.get("submitted_at"),
            f"audit:{audit.pk}:final": moments.get("oversight_at"),
        }
        for pk, created_at in AuditAction.objects.filter(audit=audit).values_list(
            "pk", "created_at"
        ):
            when[f"action:{pk}:assigned"] = min(created_at, last)
        recent = timezone.now() - datetime.timedelta(days=7)
        for key, moment in when.items():
            if moment is not None:
                Notification.objects.filter(key=key).update(
                    created_at=moment,
                    emailed_at=moment,
                    read_at=None if moment >= recent else moment,
                )


# --- Large: many audits in the first council, in bulk ---------------------------------


def _bulk_status(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.88:
        return Audit.Status.FINAL
    return Audit.Status.SUBMITTED if roll < 0.94 else Audit.Status.IN_PROGRESS


def _bulk_findings(grade: str, final: bool, rng: random.Random) -> dict[str, Any]:
    band = "good" if grade in GOOD_OR_BETTER else "poor"
    return {
        "overall_grade": grade,
        "grade_rationale": rng.choice(RATIONALE[grade]),
        "strengths": rng.choice(COUNCIL_BANK.strengths),
        "improvements": rng.choice(COUNCIL_BANK.improvements),
        "oversight": rng.choice(OVERSIGHT[band]).format(first="everyone") if final else "",
    }


def _bulk_audit(
    case: Case, auditor: int, line_manager: int, tool: AuditTool, rng: random.Random
) -> Audit:
    """One audit of the large set, written as it stands (no services, no history)."""
    status = _bulk_status(rng)
    final = status == Audit.Status.FINAL
    age = rng.randint(3, 365) if final else rng.randint(2, 16)
    t = _timeline(rng, timezone.localdate(), status, age)
    audit = Audit(
        organisation_id=tool.organisation_id,
        case_id=case.pk,
        tool=tool,
        audit_type=AuditType.REGULAR,
        auditor_id=auditor,
        practitioner_id=case.allocated_worker_id,
        line_manager_id=line_manager,
        due_on=t.due,
        status=status,
        created_at=_at(t.created, rng),
    )
    if t.submitted:
        for name, value in _bulk_findings(_grade(rng, t.age), final, rng).items():
            setattr(audit, name, value)
        audit.submitted_at = _at(t.submitted, rng)
        audit.service_id, audit.team_id = case.service_id, case.team_id
    if final:
        audit.oversight_by_id = line_manager
        audit.oversight_at = _at(t.oversight, rng)
        audit.acknowledged_at = _at(t.acknowledged, rng) if t.acknowledged else None
    return audit


def _bulk_extras(
    audits: list[Audit],
    tools: ToolSet,
    tool: AuditTool,
    rng: random.Random,
    today: datetime.date,
) -> tuple[list[Answer], list[AuditAction]]:
    sections = tools.questions(tool)
    answers, actions = [], []
    for audit in audits:
        ctx = AnswerContext(
            audit.overall_grade or Grade.GOOD, audit.due_on, None, "", rng.random() < 0.15
        )
        for section, questions in sections:
            answers += [
                Answer(
                    audit=audit,
                    question=q,
                    value=answer_value(section, q, ctx, rng),
                    revision=1,
                    updated_at=audit.submitted_at or audit.created_at,
                )
                for q in questions
                if not _skipped(section, q, ctx)
            ]
        if audit.status == Audit.Status.FINAL:
            due = _days(audit.oversight_at.date(), rng.randint(14, 42))
            done = due < today and rng.random() < 0.8
            actions.append(
                AuditAction(
                    organisation_id=audit.organisation_id,
                    audit=audit,
                    description=rng.choice(COUNCIL_BANK.directions),
                    owner_id=audit.practitioner_id,
                    due_on=due,
                    source=AuditAction.Source.OVERSIGHT,
                    status=AuditAction.Status.DONE if done else AuditAction.Status.OPEN,
                    done_on=min(due, today) if done else None,
                    created_by_id=audit.line_manager_id,
                    created_at=audit.oversight_at,
                )
            )
    return answers, actions


def _bulk_audits(org: Organisation, tools: ToolSet, today: datetime.date) -> int:
    have = Audit.objects.filter(organisation=org).count()
    missing = LARGE_AUDITS - have
    if missing <= 0:
        return 0
    rng = random.Random(f"{SEED}:{org.slug}:large:{have}")
    tool = tools.published(tools.main)
    people = People(org)
    line_managers = dict(
        StaffMember.objects.filter(organisation=org).values_list("pk", "line_manager_id")
    )
    # The demo logins' team keeps just the handful of audits made for them.
    login = people.login(TM)
    quiet_team = login.team_id if login else None
    cases = [
        c for c in _cases(org) if c.team_id in people.team_manager_of and c.team_id != quiet_team
    ]
    audits = []
    for _ in range(missing):
        case = rng.choice(cases)
        auditor = people.team_manager_of[case.team_id].pk
        # As services.audits.oversight_manager: nobody oversees their own audit.
        line_manager = line_managers.get(case.allocated_worker_id)
        if line_manager in (None, auditor):
            line_manager = line_managers.get(auditor) or line_manager or auditor
        audits.append(_bulk_audit(case, auditor, line_manager, tool, rng))
    Audit.objects.bulk_create(audits, batch_size=500)
    answers, actions = _bulk_extras(audits, tools, tool, rng, today)
    Answer.objects.bulk_create(answers, batch_size=2000)
    AuditAction.objects.bulk_create(actions, batch_size=1000)
    return missing
