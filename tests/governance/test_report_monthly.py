"""The monthly QA report (governance/report_builders/monthly.py): every figure and table
row against a small hand-worked set of records for October 2026, with records just
outside the month and of another organisation that must not count."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from governance.report_builders import MONTHLY, monthly, period_for
from governance.report_content import Content, Period
from tests.factories import (
    CaseFactory,
    ComplaintFactory,
    ComplimentFactory,
    DataQualityIssueFactory,
    DataQualityRuleFactory,
    FeedbackFactory,
    GradedAuditFactory,
    IndicatorValueFactory,
    OrganisationFactory,
    RotaFactory,
    RotaSlotFactory,
    ServiceFactory,
    StaffMemberFactory,
    TargetFactory,
    TeamFactory,
    ThematicReviewFactory,
    ThemeAuditFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
OCTOBER = Period(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31), "October 2026")
GENERATED = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def _london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


def _audit(team, when, grade, **kwargs):
    return GradedAuditFactory(
        case=CaseFactory(team=team),
        submitted_at=when,
        overall_grade=grade,
        due_on=when.date(),
        **kwargs,
    )


@pytest.fixture
def world():
    org = OrganisationFactory(name="Northshire Council")
    alpha = ServiceFactory(organisation=org, name="Alpha service")
    beta = ServiceFactory(organisation=org, name="Beta service")
    team1 = TeamFactory(service=alpha)
    team2 = TeamFactory(service=beta)
    elsewhere = TeamFactory()  # another organisation
    return {
        "org": org,
        "alpha": alpha,
        "beta": beta,
        "team1": team1,
        "team2": team2,
        "other": elsewhere,
    }


@pytest.fixture
def rota(world):
    org, team1, team2 = world["org"], world["team1"], world["team2"]
    rota = RotaFactory(organisation=org)
    m1 = StaffMemberFactory(team_manager=True, team=team1)
    m2 = StaffMemberFactory(team_manager=True, team=team2)
    RotaSlotFactory(rota=rota, manager=m1, status="done")
    RotaSlotFactory(rota=rota, manager=m1, status="open", activity="practice_observation")
    RotaSlotFactory(rota=rota, manager=m2, status="done")
    RotaSlotFactory(rota=rota, manager=m2, status="skipped")
    RotaSlotFactory(rota=rota, manager=m1, month=datetime.date(2026, 11, 1))
    other = StaffMemberFactory(team_manager=True, team=world["other"])
    RotaSlotFactory(manager=other, status="done")
    return rota


@pytest.fixture
def audits(world):
    team1, team2 = world["team1"], world["team2"]
    a1 = _audit(team1, _london(2026, 10, 1, 0, 30), "good")  # 23:30 UTC on 30 September
    a2 = _audit(team1, _london(2026, 10, 15, 12), "inadequate")
    a3 = _audit(team2, _london(2026, 10, 31, 23, 30), "outstanding")
    _audit(team2, _london(2026, 11, 1, 0, 10), "requires_improvement")
    a5 = _audit(team1, _london(2026, 9, 30, 23, 50), "good")
    _audit(world["other"], _london(2026, 10, 10, 12), "good")
    # Moderation: by the month the moderator graded.
    for audit, grade, when in (
        (a2, "inadequate", _london(2026, 10, 20, 12)),
        (a1, "requires_improvement", _london(2026, 10, 25, 12)),
        (a5, "good", _london(2026, 10, 5, 12)),
        (a3, "outstanding", _london(2026, 11, 1, 9)),
    ):
        audit.moderated_grade, audit.moderated_at = grade, when
        audit.save()
    return {"a1": a1, "a2": a2, "a3": a3}


def _themes(world, audits):
    org = world["org"]
    with time_machine.travel(_london(2026, 9, 1, 9), tick=False):
        t1 = ThematicReviewFactory(organisation=org, title="Alpha spotlight")
        t2 = ThematicReviewFactory(
            organisation=org, title="Early help", month=datetime.date(2026, 9, 1)
        )
        t3 = ThematicReviewFactory(organisation=org, title="Beta spotlight")
        ThematicReviewFactory(organisation=org, month=datetime.date(2026, 11, 1))
        ThematicReviewFactory(organisation=org, status="declined")
        ThematicReviewFactory(organisation=world["other"].organisation)
        ThemeAuditFactory(theme=t1, audit=audits["a1"])
        ThemeAuditFactory(theme=t1, audit=audits["a2"])
    for theme, day in ((t2, 3), (t1, 20)):
        with time_machine.travel(_london(2026, 10, day, 9), tick=False):
            theme.status = "complete"
            theme.save()
    return t1, t2, t3


@pytest.fixture
def feedback(world):
    team1, team2 = world["team1"], world["team2"]
    case1, case2 = CaseFactory(team=team1), CaseFactory(team=team2)
    FeedbackFactory(case=case1, source="parent", received_on=datetime.date(2026, 10, 2))
    FeedbackFactory(
        case=case2, source="child", sentiment="negative", received_on=datetime.date(2026, 10, 31)
    )
    FeedbackFactory(case=case1, source="child", received_on=datetime.date(2026, 10, 10))
    FeedbackFactory(case=case1, received_on=datetime.date(2026, 11, 1))
    FeedbackFactory(case=case1, received_on=datetime.date(2026, 9, 30))
    FeedbackFactory(case=CaseFactory(team=world["other"]), received_on=datetime.date(2026, 10, 9))
    worker = StaffMemberFactory(team=team1)
    ComplimentFactory(worker=worker, received_on=datetime.date(2026, 10, 5))
    ComplimentFactory(worker=worker, received_on=datetime.date(2026, 11, 2))
    ComplaintFactory(case=case1, received_on=datetime.date(2026, 10, 12))
    ComplaintFactory(case=case2, received_on=datetime.date(2026, 9, 29))


@pytest.fixture
def data_quality(world):
    team1 = world["team1"]
    r1 = DataQualityRuleFactory(slug="report-r1", name="Missing ethnicity", position=901)
    r2 = DataQualityRuleFactory(slug="report-r2", name="Visit not recorded", position=902)

    def issue(rule, raised, status="open", closed=None, team=team1):
        return DataQualityIssueFactory(
            rule=rule,
            case=CaseFactory(team=team),
            raised_on=raised,
            status=status,
            closed_on=closed,
            reason="The record is historic." if status == "wont_fix" else "",
        )

    d = datetime.date
    issue(r1, d(2026, 9, 10))
    issue(r1, d(2026, 10, 3), "resolved", d(2026, 10, 20))
    issue(r2, d(2026, 10, 5))
    issue(r2, d(2026, 9, 1), "wont_fix", d(2026, 10, 2))
    issue(r1, d(2026, 10, 30), "resolved", d(2026, 11, 1))
    issue(r2, d(2026, 11, 1))
    issue(r1, d(2026, 10, 1), team=world["other"])
    return r1, r2


@pytest.fixture
def indicators(world):
    org = world["org"]
    TargetFactory(organisation=org, indicator="visits-in-timescale", value=90.0)
    IndicatorValueFactory(organisation=org, indicator="visits-in-timescale", value=80.0)
    TargetFactory(organisation=org, indicator="assessments-45-days", value=90.0)
    IndicatorValueFactory(organisation=org, indicator="assessments-45-days", value=95.0)
    IndicatorValueFactory(organisation=org, indicator="average-caseload", value=30.0)
    other = world["other"].organisation
    TargetFactory(organisation=other, indicator="assessments-45-days", value=90.0)
    IndicatorValueFactory(organisation=other, indicator="assessments-45-days", value=10.0)


def _build(org) -> Content:
    with time_machine.travel(GENERATED, tick=False):
        return monthly.build(org, OCTOBER)


def _section(content: Content, key: str):
    return next(s for s in content.sections if s.key == key)


def test_the_period_is_the_month_before():
    assert period_for(MONTHLY, datetime.date(2026, 11, 2)) == OCTOBER


def test_rota_activity_due_completed_and_overdue_by_service_and_kind(world, rota):
    section = _section(_build(world["org"]), "rota")
    assert [(f.label, f.value) for f in section.figures] == [
        ("QA activities due", 3),
        ("Completed", 2),
        ("Overdue", 1),
    ]
    assert section.summary == [
        "2 of 3 QA activities due were completed (67%).",
        "1 activity was still open after the month ended (overdue).",
    ]
    by_service, by_kind = section.tables
    assert by_service.rows == [["Alpha service", 2, 1, 1, 50], ["Beta service", 1, 1, 0, 100]]
    url = reverse("governance:board_month", args=["rota-compliance", "2026-10"])
    assert by_service.row_urls == [
        f"{url}?service={world['alpha'].pk}",
        f"{url}?service={world['beta'].pk}",
    ]
    assert by_kind.rows == [["Practice review", 2, 2, 0, 100], ["Practice observation", 1, 0, 1, 0]]


def test_a_paused_month_says_so():
    org = OrganisationFactory()
    august = Period(datetime.date(2026, 8, 1), datetime.date(2026, 8, 31), "August 2026")
    with time_machine.travel(GENERATED, tick=False):
        section = _section(monthly.build(org, august), "rota")
    assert section.summary == [
        "The QA cycle is paused in August: no QA activity was due on the rota."
    ]


def test_grades_count_the_month_in_london_time(world, audits):
    section = _section(_build(world["org"]), "grades")
    assert [(f.label, f.value, f.detail) for f in section.figures] == [
        ("Audits graded", 3, ""),
        ("Good or better", 2, "of 3 (67%)"),
    ]
    assert section.summary == ["3 audits were graded; 2 of 3 were good or better (67%)."]
    by_grade, by_service = section.tables
    assert by_grade.rows == [
        ["Outstanding", 1, 33],
        ["Good", 1, 33],
        ["Requires improvement to be good", 0, 0],
        ["Inadequate", 1, 33],
    ]
    assert by_grade.row_urls[0] == (
        reverse("audits:audit_list")
        + "?submitted_from=2026-10-01&submitted_to=2026-10-31&grade=outstanding"
    )
    assert by_service.rows == [["Alpha service", 2, 1, 50], ["Beta service", 1, 1, 100]]


def test_moderation_counts_by_month_moderated(world, audits):
    section = _section(_build(world["org"]), "moderation")
    assert [(f.label, f.value) for f in section.figures] == [
        ("Audits moderated", 3),
        ("Grade agreed", 2),
        ("Grade changed", 1),
    ]
    assert section.summary == [
        "2 of 3 audits moderated kept the auditor's grade (agreement) (67%).",
        "The moderator changed the grade of 1.",
    ]
    assert section.tables[0].rows == [["Alpha service", 3, 2, 67], ["Beta service", 0, 0, None]]


def test_themes_written_up_and_planned(world, audits):
    t1, t2, t3 = _themes(world, audits)
    section = _section(_build(world["org"]), "themes")
    assert section.summary == [
        "2 thematic reviews were written up in October 2026.",
        "2 thematic reviews were the spotlight for October 2026.",
    ]
    table = section.tables[0]
    assert table.rows == [
        ["Early help", "September 2026", "Findings written up", "2026-10-03", 0, 0, 0, None],
        ["Alpha spotlight", "October 2026", "Findings written up", "2026-10-20", 2, 2, 1, 50],
        ["Beta spotlight", "October 2026", "Scheduled", "", 0, 0, 0, None],
    ]
    assert table.row_urls[1] == reverse("themes:theme_detail", kwargs={"theme_pk": t1.pk})


def test_feedback_by_who_and_sentiment_with_compliments_and_complaints(world, feedback):
    section = _section(_build(world["org"]), "feedback")
    assert [(f.label, f.value) for f in section.figures] == [
        ("Feedback received", 3),
        ("Compliments received", 1),
        ("Complaints received", 1),
    ]
    assert section.summary == [
        "3 pieces of feedback were received; 2 of 3 positive (67%).",
        "1 compliment and 1 complaint received.",
    ]
    by_source, by_sentiment = section.tables
    assert by_source.rows == [["Child or young person", 2], ["Parent", 1]]
    assert by_source.row_urls[0] == (
        reverse("feedback:feedback_list") + "?source=child&since=2026-10-01&until=2026-10-31"
    )
    assert by_sentiment.rows == [["Positive", 2, 67], ["Mixed", 0, 0], ["Negative", 1, 33]]


def test_data_quality_open_at_month_end_raised_and_put_right(world, data_quality):
    r1, r2 = data_quality
    section = _section(_build(world["org"]), "data_quality")
    assert [(f.label, f.value) for f in section.figures] == [
        ("Open at the end", 3),
        ("Raised", 3),
        ("Put right", 1),
    ]
    table = section.tables[0]
    assert table.rows == [["Missing ethnicity", 2, 2, 1, 0], ["Visit not recorded", 1, 1, 0, 1]]
    assert table.row_urls == [
        f"{reverse('performance:quality_dashboard')}?rule={r1.pk}",
        f"{reverse('performance:quality_dashboard')}?rule={r2.pk}",
    ]
    assert section.summary == [
        "3 data-quality issues were open on 31 October 2026.",
        "3 raised and 1 put right in the period.",
    ]


def test_indicators_worse_than_target(world, indicators):
    section = _section(_build(world["org"]), "indicators")
    assert section.summary == [
        "1 of 2 indicators with a target were worse than target in October 2026."
    ]
    [row] = section.tables[0].rows
    assert row[:3] == ["Visits in timescale", "80.0%", "90.0%"]
    assert section.tables[0].row_urls == [
        reverse("performance:indicator_records", args=["visits-in-timescale"]) + "?month=2026-10"
    ]


def test_an_organisation_with_nothing_builds_and_says_none():
    org = OrganisationFactory()
    content = _build(org)
    summaries = {s.key: s.summary for s in content.sections}
    assert summaries["rota"] == ["No QA activity was due on the rota."]
    assert summaries["grades"] == ["No audits were graded."]
    assert summaries["moderation"] == ["No audits were moderated."]
    assert summaries["feedback"][0] == "No feedback was received."
    assert all(not s.charts for s in content.sections)


def test_content_round_trips_json_and_names_no_child(world, rota, audits, feedback):
    content = _build(world["org"])
    text = json.dumps(content.to_json())
    assert Content.from_json(json.loads(text)) == content
    for audit in audits.values():
        assert audit.case.child.family_name not in text
        assert audit.case.child.reference not in text


def test_progress_after_each_section(world):
    calls = []
    with time_machine.travel(GENERATED, tick=False):
        content = monthly.build(world["org"], OCTOBER, progress=lambda d, t: calls.append((d, t)))
    total = len(content.sections)
    assert calls == [(i, total) for i in range(1, total + 1)]


def test_queries_do_not_grow_with_records(
    world, rota, audits, feedback, data_quality, indicators, django_assert_max_num_queries
):
    _themes(world, audits)
    with django_assert_max_num_queries(30):
        _build(world["org"])
