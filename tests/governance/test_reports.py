"""Scheduled reports, the framework: asking for a report and generating it (progress,
failure, a stopped worker, idempotence), versions with their narrative, the schedule on
the first working day (once), the build_report command, and who may see and manage them.
The pages, the PDF and the workbook: test_reports_pages.py."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cases.models import Organisation
from governance import report_builders, reports, services
from governance.models import Report, ReportNarrative
from governance.rules import may
from governance.tasks import report_generate_task
from tests.factories import GradedAuditFactory, ReportFactory
from tests.governance import report_builder_fixture as fixture

pytestmark = pytest.mark.django_db

Status = Report.Status
JAN_4 = datetime.date(2027, 1, 4)  # The first working day of 2027 (1 January a bank holiday).
FIXTURE = "tests.governance.report_builder_fixture"


def at(day: datetime.date, hour: int = 9) -> time_machine.travel:
    return time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))), tick=False
    )


@pytest.fixture
def scenario(scenario):
    """The scenario without its ready-made report (the tests make their own)."""
    Report.objects.all().delete()
    return scenario


@pytest.fixture(autouse=True)
def builders(monkeypatch):
    """Every kind built by the tests' fixture builder."""
    for kind, (title, _) in list(report_builders.KINDS.items()):
        monkeypatch.setitem(report_builders.KINDS, kind, (title, FIXTURE))


def audits_of(organisation) -> int:
    from audits.models import Audit

    return Audit.objects.filter(organisation=organisation).count()


def _request(organisation, kind="quarterly", day=JAN_4, **kwargs):
    with at(day):
        return reports.report_request(organisation, kind, day, **kwargs)


def _generated(capture, organisation, kind="quarterly", day=JAN_4, **kwargs) -> Report:
    with capture(execute=True):
        report = _request(organisation, kind, day, **kwargs)
    assert report is not None
    report.refresh_from_db()
    return report


# Generating.


def test_a_request_is_queued_and_generated_once_it_commits(
    scenario, django_capture_on_commit_callbacks
):
    organisation = scenario.case.organisation
    GradedAuditFactory.create_batch(3, case=scenario.case)
    expected = audits_of(organisation)
    with django_capture_on_commit_callbacks() as callbacks:
        report = _request(organisation, by=scenario.people["qa"])
    assert report.status == Status.QUEUED
    assert (report.version, report.period_label) == (1, "October to December 2026")
    assert (report.period_start, report.period_end) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert len(callbacks) == 1
    with at(JAN_4, hour=10):
        callbacks[0]()
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert (report.progress_done, report.progress_total) == (2, 2)
    assert report.generated_at == timezone.make_aware(
        datetime.datetime.combine(JAN_4, datetime.time(10))
    )
    assert report.started_at is not None
    content = reports.content_of(report)
    assert content.title == fixture.TITLE
    assert [s.key for s in content.sections] == ["activity", "quality"]
    assert content.sections[0].figures[0].value == expected


def test_the_schedule_path_makes_nothing_when_any_version_exists(scenario):
    organisation = scenario.case.organisation
    assert _request(organisation) is not None
    assert _request(organisation) is None
    # Another day of the same quarter asks for the same period.
    assert _request(organisation, day=datetime.date(2027, 2, 10)) is None
    assert Report.objects.count() == 1


def test_a_task_for_a_report_already_generated_does_nothing(
    scenario, django_capture_on_commit_callbacks
):
    report = _generated(django_capture_on_commit_callbacks, scenario.case.organisation)
    stamp, before = report.generated_at, audits_of(scenario.case.organisation)
    GradedAuditFactory(case=scenario.case)
    assert report_generate_task.delay(report.pk).get() == "skipped"
    report.refresh_from_db()
    assert report.generated_at == stamp
    assert reports.content_of(report).sections[0].figures[0].value == before


def test_a_builder_that_fails_marks_the_report_failed_and_qa_can_try_again(
    scenario, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(report_builders, "builder", lambda kind: fixture.broken)
    report = _generated(django_capture_on_commit_callbacks, scenario.case.organisation)
    assert report.status == Status.FAILED
    assert report.error == "ValueError: The figures could not be read"
    assert report.content == {}
    monkeypatch.undo()
    for kind, (title, _) in list(report_builders.KINDS.items()):
        monkeypatch.setitem(report_builders.KINDS, kind, (title, FIXTURE))
    with django_capture_on_commit_callbacks(execute=True):
        reports.report_retry(report=report)
    report.refresh_from_db()
    assert (report.status, report.error, report.version) == (Status.DRAFT, "", 1)
    with pytest.raises(reports.ReportError):
        reports.report_retry(report=report)


def test_a_report_left_generating_by_a_stopped_worker_is_failed_after_the_time_limit(scenario):
    started = timezone.make_aware(datetime.datetime.combine(JAN_4, datetime.time(6)))
    stopped = ReportFactory(
        organisation=scenario.case.organisation,
        status=Status.GENERATING,
        started_at=started,
        content={},
    )
    with at(JAN_4, hour=6):
        assert reports.reports_fail_stale() == 0
    # Still within the task's time limit: someone may be at it.
    with time_machine.travel(started + reports.STALE_AFTER - datetime.timedelta(minutes=1)):
        assert reports.reports_fail_stale() == 0
    with time_machine.travel(started + reports.STALE_AFTER + datetime.timedelta(minutes=1)):
        # The task, delivered again, leaves it alone; the page looking at it fails it.
        assert reports.report_generate(report_pk=stopped.pk) == "skipped"
        found = reports.report_for_page(user=scenario.people["qa"].user, report_pk=stopped.pk)
    assert found.status == Status.FAILED
    assert found.error == reports.STALE_ERROR


def test_generating_again_makes_the_next_version_with_the_narrative(
    scenario, django_capture_on_commit_callbacks
):
    organisation = scenario.case.organisation
    qa = scenario.people["qa"]
    first = _generated(django_capture_on_commit_callbacks, organisation)
    before = audits_of(organisation)
    reports.narrative_save(
        report=first, section_key="activity", by=qa, text="Fewer audits.", base_revision=1
    )
    GradedAuditFactory.create_batch(2, case=scenario.case)
    with django_capture_on_commit_callbacks(execute=True), at(JAN_4):
        second = reports.report_regenerate(report=first, by=qa)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.version, second.status, second.requested_by) == (2, Status.DRAFT, qa)
    assert reports.content_of(second).sections[0].figures[0].value == before + 2
    # Version 1 keeps its figures and its narrative.
    assert reports.content_of(first).sections[0].figures[0].value == before
    assert ReportNarrative.objects.get(report=first).text == "Fewer audits."
    assert ReportNarrative.objects.get(report=second).text == "Fewer audits."
    assert reports.editable_problem(first) == "This version has been superseded by version 2"
    assert reports.editable_problem(second) == ""


# Narrative and publishing.


def test_narrative_conflicts_keep_both_texts(scenario):
    qa = scenario.people["qa"]
    report = ReportFactory(organisation=scenario.case.organisation)
    saved = reports.narrative_save(
        report=report, section_key="activity", by=qa, text="First.", base_revision=1
    )
    assert saved.saved == ["activity"]
    assert saved.revisions == {"activity": 2}
    clash = reports.narrative_save(
        report=report, section_key="activity", by=qa, text="Second.", base_revision=1
    )
    assert clash.saved == []
    [conflict] = clash.conflicts
    assert (conflict.theirs, conflict.yours, conflict.their_revision) == ("First.", "Second.", 2)
    assert conflict.by_you
    assert ReportNarrative.objects.get(report=report).text == "First."
    with pytest.raises(reports.ReportError, match="no such section"):
        reports.narrative_save(
            report=report, section_key="nothing", by=qa, text="x", base_revision=1
        )


def test_publishing_tells_the_boards_members_and_chair_once_and_closes_the_narrative(scenario):
    from cases.models import Notification
    from governance.models import Board

    organisation = scenario.case.organisation
    qa = scenario.people["qa"]
    board = Board.objects.create(
        organisation=organisation,
        name="Quality Improvement Board",
        chair=scenario.people["senior_leader"],
    )
    board.members.add(scenario.people["team_manager"], scenario.people["practitioner"])
    closed = Board.objects.create(organisation=organisation, name="Old board", active=False)
    report = ReportFactory(organisation=organisation)
    with pytest.raises(reports.ReportError, match="still meeting"):
        reports.report_publish(report=report, by=qa, boards=[closed])
    with pytest.raises(reports.ReportError, match="at least one"):
        reports.report_publish(report=report, by=qa, boards=[])
    published = reports.report_publish(report=report, by=qa, boards=[board])
    assert published.status == Status.PUBLISHED
    assert list(published.boards.all()) == [board]
    told = Notification.objects.filter(key=f"report-published:{report.pk}")
    assert sorted(n.recipient.user.username for n in told) == [
        "practitioner",
        "senior_leader",
        "team_manager",
    ]
    with pytest.raises(reports.ReportError, match="published"):
        reports.narrative_save(
            report=report, section_key="activity", by=qa, text="Late.", base_revision=1
        )
    with pytest.raises(reports.ReportError, match="published"):
        reports.report_publish(report=report, by=qa, boards=[board])
    assert told.count() == 3


# The schedule: the first working day, once.


@pytest.mark.parametrize(
    ("service", "kind", "day", "not_on"),
    [
        (
            services.monthly_report_build,
            "monthly",
            JAN_4,
            [datetime.date(2027, 1, 1), datetime.date(2027, 1, 5)],
        ),
        (
            services.quarterly_report_build,
            "quarterly",
            JAN_4,
            [datetime.date(2027, 2, 1), datetime.date(2027, 1, 1)],
        ),
        (
            services.journey_report_build,
            "journey",
            datetime.date(2027, 4, 1),
            [JAN_4, datetime.date(2027, 4, 2)],
        ),
    ],
)
def test_each_report_is_built_on_its_first_working_day_once(
    scenario, django_capture_on_commit_callbacks, service, kind, day, not_on
):
    for other in not_on:
        with at(other):
            assert "skipped" in service(day=other)
    assert not Report.objects.exists()
    organisations = Organisation.objects.count()
    with django_capture_on_commit_callbacks(execute=True), at(day):
        assert service(day=day) == {"created": organisations}
    with django_capture_on_commit_callbacks(execute=True), at(day):
        assert service(day=day) == {"created": 0}
    rows = Report.objects.all()
    assert rows.count() == organisations
    assert {(r.kind, r.version, r.status, r.requested_by) for r in rows} == {
        (kind, 1, Status.DRAFT, None)
    }


def test_the_annual_build_makes_the_annual_report_and_the_draft_self_evaluation(
    scenario, django_capture_on_commit_callbacks
):
    april = datetime.date(2027, 4, 1)
    with at(datetime.date(2027, 5, 4)):
        assert "skipped" in services.annual_report_build(day=datetime.date(2027, 5, 4))
    with django_capture_on_commit_callbacks(execute=True), at(april):
        result = services.annual_report_build(day=april)
        again = services.annual_report_build(day=april)
    assert result["created"] == 2 * Organisation.objects.count()
    assert again["created"] == 0
    assert set(Report.objects.values_list("kind", "period_label")) == {
        ("annual", "April 2026 to March 2027"),
        ("self_evaluation", "April 2026 to March 2027"),
    }


def test_build_report_makes_one_organisations_report_and_a_new_version_when_asked(scenario):
    organisation = scenario.case.organisation
    out = StringIO()
    with at(JAN_4):
        call_command(
            "build_report",
            "--kind",
            "monthly",
            "--day",
            "2027-01-04",
            "--organisation",
            organisation.slug,
            stdout=out,
        )
        call_command(
            "build_report",
            "--kind",
            "monthly",
            "--day",
            "2027-01-04",
            "--organisation",
            organisation.slug,
            stdout=out,
        )
        call_command(
            "build_report",
            "--kind",
            "monthly",
            "--day",
            "2027-01-04",
            "--organisation",
            organisation.slug,
            "--regenerate",
            stdout=out,
        )
    assert "build_report monthly for December 2026: 1 queued" in out.getvalue()
    assert "build_report monthly for December 2026: 0 queued" in out.getvalue()
    assert sorted(Report.objects.values_list("organisation__slug", "version")) == [
        (organisation.slug, 1),
        (organisation.slug, 2),
    ]


# Who sees and manages them.


def test_readers_qa_and_senior_leaders_all_board_members_what_is_published_to_them(scenario):
    from governance.models import Board

    organisation = scenario.case.organisation
    draft = ReportFactory(organisation=organisation)
    published = ReportFactory(organisation=organisation, kind="monthly", status=Status.PUBLISHED)
    board = Board.objects.create(organisation=organisation, name="Readers test board")
    board.members.add(scenario.people["team_manager"])
    published.boards.add(board)
    other = ReportFactory(organisation=scenario.people["other_org_qa"].organisation)

    def seen(key):
        user = scenario.people[key].user
        return set(reports.reports(user=user).values_list("pk", flat=True))

    assert seen("qa") == seen("senior_leader") == {draft.pk, published.pk}
    assert seen("team_manager") == {published.pk}
    assert seen("practitioner") == set()
    assert seen("regional_lead") == set()
    assert seen("other_org_qa") == {other.pk}
    assert may(scenario.people["qa"].user, "governance.manage_reports", draft)
    assert not may(scenario.people["other_org_qa"].user, "governance.manage_reports", draft)
    assert not may(scenario.people["senior_leader"].user, "governance.manage_reports", draft)
    assert scenario.people["team_manager"].user.has_perm("governance.view_reports")
    assert not scenario.people["regional_lead"].user.has_perm("governance.view_reports")


# The demo.


def test_the_demo_generates_last_months_and_quarters_reports_and_publishes_the_quarterly(
    scenario,
):
    from cases.models import Region
    from governance import demo_reports
    from governance.models import Board

    organisation = scenario.case.organisation
    Region.objects.filter(pk=organisation.region_id).update(slug="thornvale")
    board = Board.objects.create(organisation=organisation, name="Quality Improvement Board")
    board.members.add(scenario.people["team_manager"])
    first, second = StringIO(), StringIO()
    with at(JAN_4):
        demo_reports.load(stdout=first, size="small")
        demo_reports.load(stdout=second, size="small")
    rows = Report.objects.filter(organisation=organisation).order_by("kind")
    assert [(r.kind, r.period_label, r.status) for r in rows] == [
        ("monthly", "December 2026", Status.DRAFT),
        ("quarterly", "October to December 2026", Status.PUBLISHED),
    ]
    assert list(rows[1].boards.all()) == [board]
    assert Report.objects.count() == 2 * Organisation.objects.count()
    assert first.getvalue() == "Reports: 4 generated, 1 published to a board"
    assert second.getvalue() == "Reports: 0 generated, 0 published to a board"


def test_the_demo_generates_nothing_without_builders(scenario, monkeypatch):
    from governance import demo_reports

    monkeypatch.setitem(
        report_builders.KINDS, "monthly", ("Monthly QA report", "governance.report_builders.nope")
    )
    monkeypatch.setitem(
        report_builders.KINDS, "quarterly", ("Quality", "governance.report_builders.nope")
    )
    out = StringIO()
    demo_reports.load(stdout=out, size="small")
    assert not Report.objects.exists()
    assert "no report builders yet" in out.getvalue()
