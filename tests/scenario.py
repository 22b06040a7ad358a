"""A small world for access tests: two organisations, and people inside and outside scope.

Organisation A has a looked-after service (teams T1, T2), a child protection service
(team T3) and an adoption service (team T4); organisation B has one team. The child's
case is in T1, allocated to `practitioner`; the adopter's case is in T4.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from cases.models import (
    Adopter,
    Case,
    Child,
    JourneyEvent,
    Notification,
    Service,
    StaffMember,
    Team,
)
from tests.factories import (
    AdopterFactory,
    CaseFactory,
    ChildFactory,
    DataQualityIssueFactory,
    ImportRunFactory,
    JourneyEventFactory,
    OrganisationFactory,
    RegionFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)


@dataclass
class Scenario:
    child: Child
    adopter: Adopter
    case: Case
    adopter_case: Case
    event: JourneyEvent
    tool: object = None
    audit: object = None
    action: object = None
    theme: object = None
    people: dict[str, StaffMember] = field(default_factory=dict)
    # Who may open the child's record, and who may not.
    child_insiders: tuple[str, ...] = ()
    child_outsiders: tuple[str, ...] = ()
    adopter_insiders: tuple[str, ...] = ()
    adopter_outsiders: tuple[str, ...] = ()
    tool_insiders: tuple[str, ...] = ()
    tool_outsiders: tuple[str, ...] = ()
    theme_insiders: tuple[str, ...] = ()
    theme_outsiders: tuple[str, ...] = ()
    # The QA rota of organisation A, and one of its slots (a practice review with a case).
    rota: object = None
    slot: object = None
    rota_insiders: tuple[str, ...] = ()
    rota_outsiders: tuple[str, ...] = ()
    # An import run of organisation A, uploaded by business support.
    import_run: object = None
    import_insiders: tuple[str, ...] = ()
    import_outsiders: tuple[str, ...] = ()
    # Indicator pages, and organisation A's alert rule and its focused-audit proposal.
    indicator_insiders: tuple[str, ...] = ()
    indicator_outsiders: tuple[str, ...] = ()
    # The board dashboard (governance): its readers, and those who may not read it.
    board_insiders: tuple[str, ...] = ("qa", "senior_leader")
    board_outsiders: tuple[str, ...] = (
        "practitioner",
        "team_manager",
        "service_manager",
        "business_support",
        "regional_lead",
    )
    # The regional view (governance): aggregates across the region's organisations, for
    # the regional lead; council staff read their own board instead.
    regional_insiders: tuple[str, ...] = ("regional_lead",)
    regional_outsiders: tuple[str, ...] = (
        "practitioner",
        "team_manager",
        "service_manager",
        "qa",
        "senior_leader",
        "business_support",
        "other_org_qa",
        "other_org_senior_leader",
    )
    # Council A's process change: its QA service keeps it (governance, the board's settings).
    process_change: object = None
    process_change_insiders: tuple[str, ...] = ("qa",)
    process_change_outsiders: tuple[str, ...] = (
        "practitioner",
        "team_manager",
        "senior_leader",
        "business_support",
        "other_org_qa",
        "other_org_senior_leader",
        "regional_lead",
    )
    alert_rule: object = None
    proposal: object = None
    alert_insiders: tuple[str, ...] = ()
    alert_outsiders: tuple[str, ...] = ()
    # A data-quality issue on the child's case: its insiders and outsiders are the child's.
    dq_issue: object = None
    # team_manager's practice observation of practitioner, about the child's case, and its
    # action for the practitioner.
    observation: object = None
    observation_action: object = None
    observation_insiders: tuple[str, ...] = ()
    observation_outsiders: tuple[str, ...] = ()
    # A 360-degree feedback round on team_manager's supervision (practitioner is their
    # supervisee), opened by QA.
    feedback_round: object = None
    feedback_insiders: tuple[str, ...] = ()
    feedback_outsiders: tuple[str, ...] = ()
    # QA's practice week covering T1, led by senior_leader, with a visit and an action.
    practice_event: object = None
    practice_visit: object = None
    practice_event_action: object = None
    practice_event_insiders: tuple[str, ...] = ()
    practice_event_outsiders: tuple[str, ...] = ()
    # Feedback about the child's case and a one-use link made for it (seen as the child
    # is); a feedback theme of organisation A (kept by QA) and a "you said, we did" entry
    # (read by organisation A's staff).
    voice: object = None
    family_link: object = None
    feedback_theme: object = None
    feedback_theme_insiders: tuple[str, ...] = ()
    feedback_theme_outsiders: tuple[str, ...] = ()
    you_said: object = None
    you_said_insiders: tuple[str, ...] = ()
    you_said_outsiders: tuple[str, ...] = ()
    # A complaint about the child's case (team T1, allocated to practitioner) with an
    # action for team_manager, and a compliment for practitioner. Both are seen as the
    # child is, except that the complaint's people need no case record: same insiders.
    complaint: object = None
    complaint_action: object = None
    compliment: object = None

    @property
    def complaint_insiders(self) -> tuple[str, ...]:
        return self.child_insiders

    @property
    def complaint_outsiders(self) -> tuple[str, ...]:
        return self.child_outsiders

    # An adoption panel of organisation A (panel_chair, panel_member) and its item on the
    # adopter's case, presented by adoption_worker (team manager adoption_manager), with
    # panel_member's form, collated and sent. Business support is the panel administrator.
    panel_meeting: object = None
    panel_item: object = None
    panel_meeting_insiders: tuple[str, ...] = ()
    panel_meeting_outsiders: tuple[str, ...] = ()
    panel_item_insiders: tuple[str, ...] = ()
    panel_item_outsiders: tuple[str, ...] = ()
    # iro's challenge about the child's plan, answered by team_manager with an action for
    # practitioner; raising one on the child's case is for iro alone.
    challenge: object = None
    challenge_action: object = None
    challenge_insiders: tuple[str, ...] = ()
    challenge_outsiders: tuple[str, ...] = ()
    challenge_case_insiders: tuple[str, ...] = ()
    challenge_case_outsiders: tuple[str, ...] = ()
    # Organisation A's staff survey, with answers from T1.
    survey: object = None
    survey_insiders: tuple[str, ...] = ()
    survey_outsiders: tuple[str, ...] = ()
    # An exit questionnaire raised by an adoption order on the adopter's case: seen as the
    # case is.
    questionnaire: object = None

    @property
    def questionnaire_insiders(self) -> tuple[str, ...]:
        return self.adopter_insiders

    @property
    def questionnaire_outsiders(self) -> tuple[str, ...]:
        return self.adopter_outsiders

    # Organisation A's improvement plan: a priority led by service_manager, an external
    # review, and a board decision owned by team_manager under the priority. The plan's
    # priorities and reviews are open to the organisation's staff; its actions to QA,
    # senior leaders and business support, their owner and their priority's lead.
    plan_priority: object = None
    plan_review: object = None
    plan_action: object = None
    plan_insiders: tuple[str, ...] = ()
    plan_outsiders: tuple[str, ...] = ()
    plan_action_insiders: tuple[str, ...] = ()
    plan_action_outsiders: tuple[str, ...] = ()
    # T1's Performance Exceptions return: its team manager, its service's manager, QA and
    # senior leaders; no one else.
    exceptions_return: object = None
    exceptions_return_insiders: tuple[str, ...] = ()
    exceptions_return_outsiders: tuple[str, ...] = ()
    # Scheduled reports: council A's quarterly report, published to its Quality
    # Improvement Board (team_manager a member): QA, senior leaders and the board's member
    # read it; nobody else.
    report: object = None
    report_insiders: tuple[str, ...] = ()
    report_outsiders: tuple[str, ...] = ()
    # Boards and meetings (branch boards): organisation A's board (chaired by
    # senior_leader, team_manager a member) and its planned meeting, read by A's staff;
    # and QA's learning brief published to T1, read by T1's staff and A's QA and senior
    # leaders.
    board_record: object = None
    meeting: object = None
    learning_brief: object = None
    board_record_insiders: tuple[str, ...] = ()
    board_record_outsiders: tuple[str, ...] = ()
    learning_brief_insiders: tuple[str, ...] = ()
    learning_brief_outsiders: tuple[str, ...] = ()

    # The Performance and Outcomes cascade above the service: organisation A's director
    # (the senior management team) and chief executive (senior leaders; senior_leader is
    # the head of service), the head-of-service page (its level and those above, and QA),
    # and an action team_manager raised on T1's return for practitioner (seen with the
    # return, and by its owner).
    cascade_insiders: tuple[str, ...] = ("senior_leader", "director", "chief_executive", "qa")
    cascade_outsiders: tuple[str, ...] = (
        "practitioner",
        "team_manager",
        "other_team_manager",
        "service_manager",
        "business_support",
        "regional_lead",
    )
    return_action: object = None
    return_action_insiders: tuple[str, ...] = (
        "team_manager",
        "practitioner",
        "service_manager",
        "qa",
        "senior_leader",
    )
    return_action_outsiders: tuple[str, ...] = (
        "colleague",
        "other_team_manager",
        "other_service_manager",
        "business_support",
        "other_org_manager",
        "other_org_qa",
        "other_org_senior_leader",
        "regional_lead",
    )

    @property
    def audit_insiders(self) -> tuple[str, ...]:
        return self.child_insiders

    @property
    def audit_outsiders(self) -> tuple[str, ...]:
        return self.child_outsiders


def build_scenario() -> Scenario:
    region = RegionFactory()
    org_a = OrganisationFactory(region=region, name="Council A", slug="council-a")
    org_b = OrganisationFactory(region=region, name="Council B", slug="council-b")
    lac = ServiceFactory(
        organisation=org_a, name="Children looked after", kind=Service.Kind.LOOKED_AFTER
    )
    cp = ServiceFactory(
        organisation=org_a, name="Child protection", kind=Service.Kind.CHILD_PROTECTION
    )
    adoption = ServiceFactory(
        organisation=org_a, name="Adoption", kind=Service.Kind.ADOPTION_RECRUITMENT
    )
    b_service = ServiceFactory(
        organisation=org_b, name="B looked after", kind=Service.Kind.LOOKED_AFTER
    )
    t1 = TeamFactory(service=lac, name="T1")
    t2 = TeamFactory(service=lac, name="T2")
    t3 = TeamFactory(service=cp, name="T3")
    t4 = TeamFactory(service=adoption, name="T4")
    tb = TeamFactory(service=b_service, name="TB")

    def person(key: str, **kwargs) -> StaffMember:
        return StaffMemberFactory(user__username=key, **kwargs)

    people = {
        "practitioner": person("practitioner", team=t1),
        "colleague": person("colleague", team=t1),
        "team_manager": person("team_manager", team=t1, team_manager=True),
        "other_team_manager": person("other_team_manager", team=t2, team_manager=True),
        "service_manager": person(
            "service_manager", team=None, service=lac, organisation=org_a, service_manager=True
        ),
        "other_service_manager": person(
            "other_service_manager", team=None, service=cp, organisation=org_a, service_manager=True
        ),
        "qa": person("qa", team=None, service=None, organisation=org_a, qa=True),
        "senior_leader": person(
            "senior_leader", team=None, service=None, organisation=org_a, senior_leader=True
        ),
        "business_support": person(
            "business_support", team=None, service=None, organisation=org_a, business_support=True
        ),
        "adoption_worker": person("adoption_worker", team=t4),
        "cp_practitioner": person("cp_practitioner", team=t3),
        "other_org_manager": person("other_org_manager", team=tb, team_manager=True),
        "other_org_qa": person(
            "other_org_qa", team=None, service=None, organisation=org_b, qa=True
        ),
        "other_org_senior_leader": person(
            "other_org_senior_leader",
            team=None,
            service=None,
            organisation=org_b,
            senior_leader=True,
        ),
        "regional_lead": person(
            "regional_lead", team=None, service=None, organisation=org_b, regional_lead=True
        ),
    }
    child = ChildFactory(
        organisation=org_a,
        reference="CHILD-A-001",
        given_name="Scopetest",
        family_name="Childrecord",
    )
    case = CaseFactory(team=t1, child=child, allocated_worker=people["practitioner"])
    event = JourneyEventFactory(case=case)
    adopter = AdopterFactory(
        organisation=org_a, reference="ADOPT-A-001", household_name="Scopetest Household"
    )
    adopter_case = CaseFactory(
        team=t4,
        child=None,
        adopter=adopter,
        allocated_worker=people["adoption_worker"],
        journey_stage="stage_two",
    )
    tool, audit, action, theme = _audit_of(case, people)
    rota, slot = _rota_of(case.organisation, people)
    import_run = ImportRunFactory(
        organisation=case.organisation, uploaded_by=people["business_support"]
    )
    dq_issue = DataQualityIssueFactory(case=case)
    alert_rule, proposal = _alert_of(case.organisation, people)
    observation, observation_action = _observation_of(case, people)
    feedback_round = _feedback_of(people)
    practice_event, practice_visit, practice_event_action = _practice_event_of(t1, people)
    voice, family_link, feedback_theme, you_said = _voices_of(case, people)
    complaint, complaint_action, compliment = _complaint_of(case, people)
    panel_meeting, panel_item = _panel_of(adopter_case, org_a, t4, people)
    people["iro"] = person(
        "iro", team=None, service=None, organisation=org_a, role="independent_reviewer"
    )
    challenge, challenge_action = _challenge_of(case, people)
    survey = _survey_of(t1, people)
    questionnaire = _questionnaire_of(adopter_case)
    # Building the world told the action's owner of it; tests of notifications count
    # from nobody having been told anything.
    Notification.objects.all().delete()
    org_wide = ("qa", "senior_leader", "business_support")
    elsewhere = ("other_org_manager", "other_org_qa", "other_org_senior_leader", "regional_lead")
    challenge_outsiders = (
        "colleague",
        "other_team_manager",
        "other_service_manager",
        "adoption_worker",
        "cp_practitioner",
        "business_support",
        *elsewhere,
    )
    from governance.models import ProcessChange

    process_change = ProcessChange.objects.create(
        organisation=org_a,
        measure="audit-grades",
        changed_on=datetime.date(2026, 1, 1),
        reason="A new audit tool.",
        recorded_by=people["qa"],
    )
    plan_priority, plan_review, plan_action = _plan_of(people)
    exceptions_return = _exceptions_return_of(t1)
    report = _report_of(org_a, people)
    board_record, meeting, learning_brief = _boards_of(t1, people)
    scenario = Scenario(
        report=report,
        report_insiders=("qa", "senior_leader", "team_manager"),
        report_outsiders=(
            "practitioner",
            "other_org_qa",
            "other_org_senior_leader",
            "regional_lead",
        ),
        board_record=board_record,
        meeting=meeting,
        learning_brief=learning_brief,
        board_record_insiders=("practitioner", "team_manager", "qa", "senior_leader"),
        board_record_outsiders=elsewhere,
        learning_brief_insiders=("practitioner", "colleague", "team_manager", "qa"),
        learning_brief_outsiders=(
            "other_team_manager",
            "adoption_worker",
            "cp_practitioner",
            "business_support",
            *elsewhere,
        ),
        exceptions_return=exceptions_return,
        exceptions_return_insiders=("team_manager", "service_manager", "qa", "senior_leader"),
        exceptions_return_outsiders=(
            "practitioner",
            "colleague",
            "other_team_manager",
            "other_service_manager",
            "business_support",
            *elsewhere,
        ),
        process_change=process_change,
        plan_priority=plan_priority,
        plan_review=plan_review,
        plan_action=plan_action,
        plan_insiders=("practitioner", "team_manager", "qa", "senior_leader", "business_support"),
        plan_outsiders=elsewhere,
        plan_action_insiders=("team_manager", "service_manager", "qa", "senior_leader"),
        plan_action_outsiders=("practitioner", "colleague", "other_team_manager", *elsewhere),
        challenge=challenge,
        challenge_action=challenge_action,
        challenge_insiders=(
            "iro",
            "practitioner",
            "team_manager",
            "service_manager",
            "qa",
            "senior_leader",
        ),
        challenge_outsiders=challenge_outsiders,
        challenge_case_insiders=("iro",),
        challenge_case_outsiders=challenge_outsiders,
        survey=survey,
        survey_insiders=(
            "qa",
            "senior_leader",
            "business_support",
            "team_manager",
            "service_manager",
        ),
        survey_outsiders=("practitioner", "colleague", *elsewhere),
        child=child,
        adopter=adopter,
        case=case,
        adopter_case=adopter_case,
        event=event,
        tool=tool,
        audit=audit,
        action=action,
        theme=theme,
        people=people,
        child_insiders=("practitioner", "team_manager", "service_manager", *org_wide),
        child_outsiders=(
            "colleague",
            "other_team_manager",
            "other_service_manager",
            "adoption_worker",
            "cp_practitioner",
            *elsewhere,
        ),
        adopter_insiders=("adoption_worker", *org_wide),
        adopter_outsiders=(
            "practitioner",
            "team_manager",
            "service_manager",
            "other_service_manager",
            "cp_practitioner",
            *elsewhere,
        ),
        tool_insiders=("qa", "team_manager", "service_manager"),
        tool_outsiders=("practitioner", *elsewhere),
        theme_insiders=("qa", "team_manager", "service_manager", "senior_leader"),
        theme_outsiders=("practitioner", "business_support", *elsewhere),
        rota=rota,
        slot=slot,
        rota_insiders=("qa", "team_manager", "service_manager", "senior_leader"),
        rota_outsiders=("practitioner", "business_support", *elsewhere),
        import_run=import_run,
        import_insiders=("business_support", "qa"),
        import_outsiders=("practitioner", "team_manager", "senior_leader", *elsewhere),
        dq_issue=dq_issue,
        indicator_insiders=(
            "practitioner",
            "team_manager",
            "qa",
            "senior_leader",
            "business_support",
        ),
        indicator_outsiders=("regional_lead",),
        alert_rule=alert_rule,
        proposal=proposal,
        alert_insiders=("qa", "senior_leader"),
        alert_outsiders=("practitioner", "team_manager", "business_support", *elsewhere),
        observation=observation,
        observation_action=observation_action,
        complaint=complaint,
        complaint_action=complaint_action,
        compliment=compliment,
        feedback_round=feedback_round,
        feedback_insiders=("qa", "senior_leader", "team_manager", "practitioner"),
        feedback_outsiders=(
            "colleague",
            "other_team_manager",
            "service_manager",
            "other_service_manager",
            "business_support",
            *elsewhere,
        ),
        practice_event=practice_event,
        practice_visit=practice_visit,
        practice_event_action=practice_event_action,
        questionnaire=questionnaire,
        practice_event_insiders=("qa", "senior_leader", "team_manager", "service_manager"),
        practice_event_outsiders=(
            "practitioner",
            "colleague",
            "other_team_manager",
            "other_service_manager",
            "business_support",
            *elsewhere,
        ),
        voice=voice,
        family_link=family_link,
        feedback_theme=feedback_theme,
        feedback_theme_insiders=("qa",),
        feedback_theme_outsiders=("practitioner", "team_manager", "senior_leader", *elsewhere),
        you_said=you_said,
        you_said_insiders=("qa", "senior_leader", "practitioner", "team_manager"),
        you_said_outsiders=elsewhere,
        panel_meeting=panel_meeting,
        panel_item=panel_item,
        panel_meeting_insiders=(
            "panel_chair",
            "panel_member",
            "qa",
            "senior_leader",
            "business_support",
        ),
        panel_meeting_outsiders=(
            "adoption_worker",
            "adoption_manager",
            "practitioner",
            "team_manager",
            *elsewhere,
        ),
        panel_item_insiders=(
            "panel_chair",
            "panel_member",
            "qa",
            "senior_leader",
            "adoption_worker",
            "adoption_manager",
            "business_support",
        ),
        panel_item_outsiders=(
            "practitioner",
            "colleague",
            "team_manager",
            "service_manager",
            "cp_practitioner",
            *elsewhere,
        ),
        observation_insiders=(
            "team_manager",
            "practitioner",
            "service_manager",
            "qa",
            "senior_leader",
        ),
        observation_outsiders=(
            "colleague",
            "other_team_manager",
            "other_service_manager",
            "adoption_worker",
            "cp_practitioner",
            "business_support",
            *elsewhere,
        ),
    )
    # The Performance and Outcomes cascade above the service.
    _cascade_of(scenario)
    return scenario


def _voices_of(case: Case, people: dict[str, StaffMember]) -> tuple[object, ...]:
    from cases.links import family_link_create
    from feedback.models import YouSaidWeDid
    from tests.factories import FeedbackFactory, FeedbackThemeFactory

    voice = FeedbackFactory(case=case, said="Scopetest said this")
    made = family_link_create(case=case, purpose="feedback", created_by=people["practitioner"])
    theme = FeedbackThemeFactory(organisation=case.organisation)
    you_said = YouSaidWeDid.objects.create(
        organisation=case.organisation, you_said="You said", we_did="We did"
    )
    return voice, made.link, theme, you_said


def _feedback_of(people: dict[str, StaffMember]) -> object:
    """An open feedback round on team_manager's supervision (made directly: the service
    asks for five supervisees, the scenario's team manager has one)."""
    import datetime

    from django.utils import timezone

    from audits.models import SupervisionFeedbackRound

    manager = people["team_manager"]
    return SupervisionFeedbackRound.objects.create(
        organisation=manager.organisation,
        manager=manager,
        opened_by=people["qa"],
        closes_on=timezone.localdate() + datetime.timedelta(days=14),
        invited=1,
    )


def _audit_of(case: Case, people: dict[str, StaffMember]) -> tuple:
    """A published tool of organisation A, an audit of the child's case with it, an action
    of the audit, and a thematic review with the tool, scheduled for the month the case opened."""
    from audits.models import AuditType, Respondent, ToolQuestion
    from audits.services.audits import action_add, audit_create
    from audits.services.tools import question_add, section_add, tool_create, tool_publish
    from themes.services import theme_agree, theme_propose, theme_schedule

    qa = people["qa"]
    tool = tool_create(
        organisation=case.organisation,
        name="Practice review",
        created_by=qa,
        audit_types=[AuditType.REGULAR],
    )
    mine = section_add(tool=tool, title="Child's records review")
    question_add(
        section=mine, text="How well is the child's voice heard?", kind=ToolQuestion.Kind.GRADE
    )
    theirs = section_add(
        tool=tool, title="Practitioner reflection", respondent=Respondent.PRACTITIONER
    )
    question_add(
        section=theirs, text="What difference has your work made?", kind=ToolQuestion.Kind.TEXT
    )
    tool = tool_publish(tool=tool, by=qa)
    people["practitioner"].line_manager = people["team_manager"]
    people["practitioner"].save()
    audit = audit_create(
        case=case,
        tool=tool,
        auditor=people["team_manager"],
        due_on=case.opened_on,
        audit_type=AuditType.REGULAR,
    )
    action = action_add(
        audit=audit,
        description="Update the chronology",
        owner=people["practitioner"],
        due_on=case.opened_on,
        by=people["team_manager"],
    )
    theme = theme_propose(
        organisation=case.organisation,
        proposed_by=people["team_manager"],
        title="Purpose of visits",
        question="Do visit records say why the visit happened and what it achieved?",
        source="indicator",
        month=case.opened_on.replace(day=1),
        tool=tool,
        sample_size=5,
    )
    theme_agree(theme=theme, by=qa)
    theme = theme_schedule(theme=theme, by=qa)
    return tool, audit, action, theme


def _rota_of(organisation, people: dict[str, StaffMember]) -> tuple:
    """A rota of organisation A from the first day of this month, generated by QA, and
    one of its planned slots: a practice review with a case when there is one."""
    from django.utils import timezone

    from rota.models import Activity
    from rota.services import rota_generate

    starts_on = timezone.localdate().replace(day=1)
    rota = rota_generate(organisation=organisation, starts_on=starts_on, by=people["qa"])
    slots = rota.slots.order_by("month", "pk")
    reviews = slots.filter(activity=Activity.PRACTICE_REVIEW, case__isnull=False)
    slot = reviews.first() or slots.first()
    return rota, slot


def _alert_of(organisation, people: dict[str, StaffMember]) -> tuple:
    """An alert rule on an indicator, and a focused audit it proposed."""
    from django.utils import timezone

    from performance.models import AlertRule, FocusedAuditProposal

    rule = AlertRule.objects.create(
        organisation=organisation,
        indicator="re-referrals-12-months",
        threshold=20,
        created_by=people["qa"],
    )
    proposal = FocusedAuditProposal.objects.create(
        rule=rule,
        organisation=organisation,
        indicator=rule.indicator,
        month=timezone.localdate().replace(day=1),
        reason="Re-referrals within 12 months were 31.0% in the month, worse than 20.0%.",
    )
    return rule, proposal


def _observation_of(case: Case, people: dict[str, StaffMember]) -> tuple:
    """team_manager's observation of practitioner at a home visit on the child's case,
    recorded and graded but not submitted, with an action for the practitioner."""
    import datetime

    from django.utils import timezone

    from observations.models import Setting
    from observations.services import action_add, observation_create, observation_save

    today = timezone.localdate()
    observation = observation_create(
        observer=people["team_manager"],
        due_on=today + datetime.timedelta(days=20),
        practitioner=people["practitioner"],
        setting=Setting.HOME_VISIT,
        observed_on=today - datetime.timedelta(days=2),
        case=case,
    )
    observation_save(
        observation=observation,
        by=people["team_manager"],
        base_revision=0,
        values={
            "went_well": "Warm and clear with the family.",
            "even_better_if": "The child had been seen alone.",
            "impact_on_child": "The child knows what happens next.",
            "grade": "good",
        },
    )
    observation.refresh_from_db()
    action = action_add(
        observation=observation,
        description="Plan direct work with the child",
        owner=people["practitioner"],
        due_on=today + datetime.timedelta(days=30),
        by=people["team_manager"],
    )
    return observation, action


def _practice_event_of(team, people: dict[str, StaffMember]) -> tuple:
    """QA's practice week covering `team`, led by senior_leader, with senior_leader's
    visit to the team and an action for the team manager."""
    import datetime

    from django.utils import timezone

    from observations.events import event_action_add, event_create, visit_assign

    today = timezone.localdate()
    event = event_create(
        by=people["qa"],
        kind="practice_week",
        title="Spring practice week",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=4),
        teams=[team],
        services=[],
        leaders=[people["senior_leader"]],
    )
    visit = visit_assign(
        event=event, by=people["qa"], leader=people["senior_leader"], team=team, visit_on=today
    )
    action = event_action_add(
        event=event,
        by=people["senior_leader"],
        description="Share the week's learning at the team meeting",
        owner=people["team_manager"],
        due_on=today + datetime.timedelta(days=30),
    )
    return event, visit, action


def _complaint_of(case: Case, people: dict[str, StaffMember]) -> tuple:
    """A complaint about the child's case at stage 1, an action of it for team_manager,
    and a compliment for practitioner."""
    from tests.factories import ComplaintActionFactory, ComplaintFactory, ComplimentFactory

    complaint = ComplaintFactory(case=case)
    action = ComplaintActionFactory(complaint=complaint, owner=people["team_manager"])
    compliment = ComplimentFactory(worker=people["practitioner"])
    return complaint, action, compliment


def _panel_of(adopter_case: Case, org_a, team, people: dict[str, StaffMember]) -> tuple:
    """Organisation A's adoption panel, chaired by panel_chair with panel_member sitting,
    and its item on the adopter's case: panel_member's form, collated and sent by the
    chair to adoption_worker and their team manager, adoption_manager."""
    from feedback.evaluations import (
        panel_evaluation_save,
        panel_item_add,
        panel_item_send,
        panel_meeting_create,
    )

    def panel_person(key: str) -> StaffMember:
        return StaffMemberFactory(
            user__username=key,
            team=None,
            service=None,
            organisation=org_a,
            role=StaffMember.Role.PANEL_MEMBER,
        )

    people["panel_chair"] = panel_person("panel_chair")
    people["panel_member"] = panel_person("panel_member")
    people["adoption_manager"] = StaffMemberFactory(
        user__username="adoption_manager", team=team, team_manager=True
    )
    meeting = panel_meeting_create(
        organisation_id=org_a.pk,
        held_on=adopter_case.opened_on,
        chair=people["panel_chair"],
        members=[people["panel_member"]],
    )
    item = panel_item_add(
        meeting=meeting,
        case=adopter_case,
        kind="approval",
        social_worker=people["adoption_worker"],
        team_manager=people["adoption_manager"],
    )
    panel_evaluation_save(
        item=item, by=people["panel_member"], report=3, presentation=4, analysis=2
    )
    item = panel_item_send(
        item=item, by=people["panel_chair"], summary="A clear report; more analysis, please."
    )
    return meeting, item


def _challenge_of(case: Case, people: dict[str, StaffMember]) -> tuple:
    """iro's informal challenge about the child's care plan, answered by team_manager
    with an action for practitioner."""
    import datetime

    from django.utils import timezone

    from feedback.disputes import challenge_raise, challenge_respond

    challenge = challenge_raise(
        by=people["iro"],
        case=case,
        themes=["care_plan"],
        description="The care plan has not been updated since the last review.",
    )
    challenge_respond(
        challenge=challenge,
        by=people["team_manager"],
        response="Agreed: the plan will be updated with the child.",
        action_description="Update the care plan with the child",
        action_owner=people["practitioner"],
        action_due_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    return challenge, challenge.actions.get()


def _survey_of(team, people: dict[str, StaffMember]) -> object:
    """Organisation A's staff survey this year: six answers from `team`."""
    import io

    from django.utils import timezone

    from feedback.staff_voice import survey_import

    rows = "\n".join(f"{team.name},4,{n % 5 + 1}," for n in range(6))
    upload = io.BytesIO(f"team,I feel supported,I have time,comment\n{rows}\n".encode())
    report = survey_import(
        by=people["qa"],
        kind="staff_survey",
        year=timezone.localdate().year,
        upload=upload,
    )
    assert not report.problems, report.problems
    return report.survey


def _questionnaire_of(adopter_case: Case) -> object:
    """The exit questionnaire an adoption order on the adopter's case raised."""
    from tests.factories import QuestionnaireFactory

    return QuestionnaireFactory(case=adopter_case)


def _plan_of(people: dict[str, StaffMember]) -> tuple[object, object, object]:
    """Organisation A's improvement plan: a priority, a review, a board decision."""
    import datetime

    from django.utils import timezone

    from governance import plan
    from governance.models import PlanAction

    qa = people["qa"]
    organisation = qa.organisation
    priority = plan.priority_save(
        organisation=organisation, by=qa, title="Care planning", lead=people["service_manager"]
    )
    review = plan.review_create(
        organisation=organisation,
        by=qa,
        kind="inspection",
        title="ILACS inspection",
        reported_on=timezone.localdate() - datetime.timedelta(days=60),
    )
    # Made directly, so the owner is not notified: tests elsewhere count notifications.
    action = PlanAction.objects.create(
        organisation=organisation,
        source="board",
        title="Report plan quality to the board each quarter",
        owner=people["team_manager"],
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        priority=priority,
        decided_by="Quality Improvement Board",
        decided_on=timezone.localdate() - datetime.timedelta(days=7),
        raised_on=timezone.localdate(),
        created_by=qa,
    )
    return priority, review, action


def _exceptions_return_of(team: Team) -> object:
    """T1's open Performance Exceptions return for last month (no figures in it)."""
    from django.utils import timezone

    from core.months import add_months, month_start
    from governance.models import ExceptionsReturn

    today = timezone.localdate()
    return ExceptionsReturn.objects.create(
        organisation_id=team.organisation_id,
        team=team,
        service_id=team.service_id,
        month=add_months(month_start(today), -1),
        due_on=today + datetime.timedelta(days=10),
        snapshot={},
    )


def _report_of(organisation: object, people: dict[str, StaffMember]) -> object:
    """Council A's quarterly report (the tests' fixture builder's content), published to
    its Quality Improvement Board, whose member is team_manager. Made directly: nobody is
    told (tests elsewhere count notifications)."""
    from django.utils import timezone

    from governance.models import Board, Report
    from governance.report_content import Period
    from tests.governance.report_builder_fixture import build

    board = Board.objects.create(
        organisation=organisation, name="Reports Quality Improvement Board"
    )
    board.members.add(people["team_manager"])
    period = Period(start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31), label="Q3")
    report = Report.objects.create(
        organisation=organisation,
        kind="quarterly",
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        status=Report.Status.PUBLISHED,
        content=build(organisation, period).to_json(),
        generated_at=timezone.now(),
        published_at=timezone.now(),
        published_by=people["qa"],
    )
    report.boards.add(board)
    return report


def _boards_of(team: Team, people: dict[str, StaffMember]) -> tuple[object, object, object]:
    """Organisation A's board with a planned meeting (branch boards), and a learning brief
    published to T1 (made directly: nobody is told)."""
    from django.utils import timezone

    from governance.models import Board, LearningBrief, Meeting

    organisation = people["qa"].organisation
    board = Board.objects.create(
        organisation=organisation,
        name="Practice Improvement Board",
        kind=Board.Kind.PRACTICE_IMPROVEMENT,
        frequency=Board.Frequency.FORTNIGHTLY,
        chair=people["senior_leader"],
    )
    board.members.add(people["team_manager"], people["qa"])
    meeting = Meeting.objects.create(
        organisation=organisation,
        board=board,
        date=timezone.localdate() + datetime.timedelta(days=14),
    )
    brief = LearningBrief.objects.create(
        organisation=organisation,
        title="Seven minutes on plans",
        found="Plans did not say what would change.",
        matters="Children need plans they recognise.",
        good_looks_like="Plans written with the family.",
        questions="Which of your plans would the child recognise?",
        whole_organisation=False,
        status=LearningBrief.Status.PUBLISHED,
        published_at=timezone.now(),
        published_by=people["qa"],
        created_by=people["qa"],
    )
    brief.teams.add(team)
    return board, meeting, brief


# The Performance and Outcomes cascade above the service.


def _cascade_of(scenario: Scenario) -> None:
    """Organisation A's director and chief executive, and an action on T1's return."""
    from governance.models import ReturnAction
    from tests.factories import StaffMemberFactory

    org_a = scenario.case.organisation
    people = scenario.people
    for key, title in (
        ("director", "Director of children's services"),
        ("chief_executive", "Chief executive"),
    ):
        people[key] = StaffMemberFactory(
            user__username=key,
            team=None,
            service=None,
            organisation=org_a,
            senior_leader=True,
            tier=StaffMember.Tier.DIRECTOR,
            job_title=title,
        )
    ret = scenario.exceptions_return
    scenario.return_action = ReturnAction.objects.create(
        organisation=org_a,
        exceptions_return=ret,
        title="Weekly tracking of assessments nearing 35 days",
        owner=people["practitioner"],
        due_on=datetime.date(2030, 1, 31),
        raised_by=people["team_manager"],
    )
