"""The quarterly Quality of Practice report (governance/report_builders/quarterly.py):
every figure and table row against a small hand-worked set of records for October to
December 2026, with records just outside the quarter and of another organisation."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from core.dates import add_working_days
from feedback.models.complaints import ComplaintStage, PointOutcome
from governance.models import ReAudit, ReAuditCase
from governance.report_builders import QUARTERLY, period_for, quarterly
from governance.report_content import Content, Period
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    FeedbackFactory,
    GradedAuditFactory,
    IndicatorValueFactory,
    ObservationFactory,
    OrganisationFactory,
    PlanActionFactory,
    PriorityFactory,
    ServiceFactory,
    StaffMemberFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
QUARTER = Period(
    datetime.date(2026, 10, 1), datetime.date(2026, 12, 31), "October to December 2026"
)
GENERATED = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)
d = datetime.date


def _london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def _audit(case, when, grade, **kwargs):
    return GradedAuditFactory(
        case=case, submitted_at=when, overall_grade=grade, due_on=when.date(), **kwargs
    )


@pytest.fixture
def world():
    org = OrganisationFactory(name="Northshire Council")
    team1 = TeamFactory(service=ServiceFactory(organisation=org, name="Alpha service"))
    team2 = TeamFactory(service=ServiceFactory(organisation=org, name="Beta service"))
    return {"org": org, "team1": team1, "team2": team2, "other": TeamFactory()}


@pytest.fixture
def records(world):
    team1, team2, other = world["team1"], world["team2"], world["other"]
    cp_case = CaseFactory(team=team2, journey_stage="child_protection")
    a_oct = _audit(CaseFactory(team=team1), _london(2026, 10, 5, 12), "good")
    a_nov = _audit(CaseFactory(team=team1), _london(2026, 11, 10, 12), "inadequate")
    _audit(cp_case, _london(2026, 12, 31, 23, 30), "outstanding")
    _audit(cp_case, _london(2027, 1, 1, 0, 10), "good")
    _audit(CaseFactory(team=team1), _london(2026, 9, 30, 23, 50), "good")
    _audit(CaseFactory(team=other), _london(2026, 11, 5, 12), "good")
    a_nov.moderated_grade, a_nov.moderated_at = "inadequate", _london(2026, 11, 20, 12)
    a_nov.save()
    a_oct.moderated_grade, a_oct.moderated_at = "requires_improvement", _london(2026, 12, 2, 12)
    a_oct.save()
    # The plan: a re-audit of a_nov's case, its repeat graded good in December.
    priority = PriorityFactory(organisation=world["org"], title="Voice of the child")
    action = PlanActionFactory(
        priority=priority,
        title="Plans name the child's wishes",
        status="completed",
        raised_on=d(2026, 10, 1),
        completed_on=d(2026, 11, 1),
    )
    PlanActionFactory(priority=priority, raised_on=d(2026, 9, 1), due_on=d(2026, 12, 1))
    PlanActionFactory(
        priority=priority,
        status="impact_evidenced",
        raised_on=d(2026, 11, 5),
        completed_on=d(2026, 12, 1),
        impact_evidenced_on=d(2026, 12, 10),
    )
    PlanActionFactory(
        priority=None,
        organisation=world["org"],
        raised_on=d(2026, 12, 20),
        due_on=d(2027, 1, 31),
    )
    PlanActionFactory(priority=PriorityFactory(organisation=other.organisation))
    repeat = _audit(a_nov.case, _london(2026, 12, 5, 12), "good")
    re_audit = ReAudit.objects.create(
        organisation=world["org"], action=action, mode="same_cases", due_on=d(2026, 12, 1)
    )
    ReAuditCase.objects.create(
        re_audit=re_audit,
        organisation=world["org"],
        case=a_nov.case,
        original=a_nov,
        repeat=repeat,
    )
    # Observations.
    practitioner = StaffMemberFactory(team=team1)
    for day in (d(2026, 11, 3), d(2027, 1, 2)):
        ObservationFactory(
            practitioner=practitioner,
            case=CaseFactory(team=team1),
            observed_on=day,
            status="submitted",
            grade="good",
        )
    # Feedback.
    case = CaseFactory(team=team1)
    FeedbackFactory(
        case=case,
        source="child",
        rating=5,
        journey_stage="looked_after",
        received_on=d(2026, 10, 10),
    )
    FeedbackFactory(case=case, sentiment="negative", rating=2, received_on=d(2026, 12, 1))
    FeedbackFactory(
        case=case,
        source="adopter",
        sentiment="mixed",
        journey_stage="enquiry",
        received_on=d(2026, 11, 11),
    )
    FeedbackFactory(case=case, rating=1, received_on=d(2027, 1, 3))
    # Complaints: one answered in time and upheld; one answered late, not upheld, then
    # taken to stage 2 and still within its timescale when the quarter ended.
    c1 = ComplaintFactory(case=case, received_on=d(2026, 10, 12))
    c2 = ComplaintFactory(case=case, received_on=d(2026, 11, 2))
    ComplaintFactory(case=case, received_on=d(2026, 9, 20))
    for complaint, responded, outcome in (
        (c1, d(2026, 10, 20), "upheld"),
        (c2, d(2026, 12, 15), "not_upheld"),
    ):
        stage = complaint.stages.get()
        stage.responded_on = responded
        stage.save()
        PointOutcome.objects.create(
            organisation=complaint.organisation,
            point=complaint.points.get(),
            stage=stage,
            outcome=outcome,
        )
    ComplaintStage.objects.create(
        organisation=c2.organisation,
        complaint=c2,
        stage=2,
        started_on=d(2026, 12, 16),
        due_on=add_working_days(d(2026, 12, 16), 25),
    )
    # Indicators.
    org = world["org"]
    for slug, month, value in (
        ("visits-in-timescale", d(2026, 10, 1), 70.0),
        ("visits-in-timescale", d(2026, 12, 1), 85.0),
        ("re-referrals-12-months", d(2026, 10, 1), 20.0),
        ("re-referrals-12-months", d(2026, 12, 1), 25.0),
        ("referrals", d(2026, 10, 1), 40.0),
    ):
        IndicatorValueFactory(organisation=org, indicator=slug, month=month, value=value)
    IndicatorValueFactory(
        organisation=other.organisation, indicator="children-seen", month=d(2026, 12, 1)
    )
    return {"a_oct": a_oct, "a_nov": a_nov}


def _build(org) -> Content:
    with time_machine.travel(GENERATED, tick=False):
        return quarterly.build(org, QUARTER)


def _section(content: Content, key: str):
    return next(s for s in content.sections if s.key == key)


def test_the_period_is_the_quarter_before():
    assert period_for(QUARTERLY, d(2027, 1, 4)) == QUARTER


def test_sections_answer_the_three_questions(world):
    content = _build(world["org"])
    assert [(s.key, s.question) for s in content.sections] == [
        ("how_much", "How much did we do?"),
        ("how_well", "How well did we do it?"),
        ("better_off", "Is anyone better off?"),
        ("feedback_complaints", ""),
        ("plan", ""),
    ]


def test_how_much_by_activity_and_journey_stage(world, records):
    section = _section(_build(world["org"]), "how_much")
    activity, stages, indicators = section.tables
    assert activity.rows == [
        ["Audits graded", 4],
        ["Practice observations", 1],
        ["Thematic reviews written up", 0],
        ["QA activities completed on the rota", 0],
        ["Feedback gathered", 3],
        ["Compliments received", 0],
        ["Complaints received", 2],
    ]
    assert stages.rows == [
        ["Child protection", 1, 0, 0],
        ["Looked after", 3, 1, 1],
        ["Enquiry", 0, 0, 1],
        ["No stage recorded", 0, 0, 1],
    ]
    assert stages.row_urls[2] == (
        reverse("feedback:feedback_list")
        + "?journey_stage=enquiry&since=2026-10-01&until=2026-12-31"
    )
    assert indicators.rows == [
        [
            "Question 1: Are referrals allocated in a timely manner and are children seen in "
            "accordance with timescales?",
            "Referrals received",
            "40",
            "No data",
            "",
        ]
    ]
    assert section.summary == [
        "4 audits were graded, 1 practice observation made and 3 pieces of feedback gathered."
    ]


def test_how_well_grades_by_month_moderation_and_timeliness(world, records):
    section = _section(_build(world["org"]), "how_well")
    grades, by_month, complaints, indicators = section.tables
    assert grades.rows == [
        ["Outstanding", 1, 25],
        ["Good", 2, 50],
        ["Requires improvement to be good", 0, 0],
        ["Inadequate", 1, 25],
    ]
    assert by_month.rows == [
        ["October 2026", 1, 100, 0, None, 0, None],
        ["November 2026", 1, 0, 1, 100, 1, 100],
        ["December 2026", 2, 100, 0, None, 1, 0],
    ]
    assert complaints.rows == [
        ["Stage 1: local resolution", 2, 1, 1, 0, 50],
        ["Stage 2: investigation", 1, 0, 0, 1, None],
        ["Stage 3: review panel", 0, 0, 0, 0, None],
    ]
    assert [row[1:] for row in indicators.rows] == [
        ["Visits in timescale", "70.0%", "85.0%", "Better"]
    ]
    assert indicators.rows[0][0].startswith("Question 5: Are children seen often enough")
    assert section.summary == [
        "4 audits were graded; 3 of 4 were good or better (75%).",
        "1 of 2 audits moderated kept the auditor's grade (50%).",
        "1 of 2 complaint stages responded to were answered within their timescale (50%).",
        "Of 1 indicators with a value at both ends of the quarter, 1 got better and 0 got worse.",
    ]


def test_better_off_indicators_re_audit_and_face_scale(world, records):
    section = _section(_build(world["org"]), "better_off")
    indicators, re_audits, faces = section.tables
    assert [row[1:] for row in indicators.rows] == [
        ["Re-referrals within 12 months", "20.0%", "25.0%", "Worse"]
    ]
    assert re_audits.rows == [["Plans name the child's wishes", "2026-12-01", 1, 0, 100]]
    assert faces.rows == [
        ["Really happy", 1, 50],
        ["Happy", 0, 0],
        ["Okay", 0, 0],
        ["Unhappy", 1, 50],
        ["Really unhappy", 0, 0],
    ]
    assert section.summary == [
        "Of 1 indicators with a value at both ends of the quarter, 0 got better and 1 got worse.",
        "1 of 2 people who answered on the face scale were happy or really happy (50%).",
        "1 re-audit of the same cases was due; 1 of 1 with grades before and after showed "
        "more good or better practice.",
    ]


def test_complaints_outcomes_by_stage(world, records):
    section = _section(_build(world["org"]), "feedback_complaints")
    _stages, outcomes, by_source = section.tables
    assert outcomes.rows == [
        ["Stage 1: local resolution", 1, 0, 1, 2],
        ["Stage 2: investigation", 0, 0, 0, 0],
        ["Stage 3: review panel", 0, 0, 0, 0],
    ]
    assert by_source.rows == [
        ["Child or young person", 1],
        ["Parent", 1],
        ["Adopter or prospective adopter", 1],
    ]
    assert section.summary[2] == (
        "1 of 2 points of complaint decided were upheld in full or in part (50%)."
    )


def test_plan_progress_by_priority(world, records):
    section = _section(_build(world["org"]), "plan")
    table = section.tables[0]
    assert table.rows == [
        ["Voice of the child", 2, 2, 1, 1, 1, 0],
        ["Not yet under a priority", 1, 0, 0, 1, 0, 0],
    ]
    assert section.summary == [
        "2 actions completed and impact evidenced for 1 in the quarter; 3 raised.",
        "1 of 2 actions open at the quarter's end were overdue (50%).",
    ]


def test_an_organisation_with_nothing_builds():
    content = _build(OrganisationFactory())
    summaries = {s.key: s.summary for s in content.sections}
    assert summaries["how_much"] == [
        "No audits, practice observations or feedback were recorded in the quarter."
    ]
    assert summaries["plan"] == ["The improvement plan had no actions in the quarter."]
    assert summaries["better_off"][1] == "Nobody answered on the face scale in the quarter."


def test_content_round_trips_json_and_names_no_child(world, records):
    content = _build(world["org"])
    text = json.dumps(content.to_json())
    assert Content.from_json(json.loads(text)) == content
    for audit in records.values():
        assert audit.case.child.family_name not in text
        assert audit.case.child.reference not in text


def test_progress_after_each_section(world):
    calls = []
    with time_machine.travel(GENERATED, tick=False):
        quarterly.build(world["org"], QUARTER, progress=lambda done, total: calls.append(done))
    assert calls == [1, 2, 3, 4, 5]


def test_queries_do_not_grow_with_records(world, records, django_assert_max_num_queries):
    with django_assert_max_num_queries(40):
        _build(world["org"])
