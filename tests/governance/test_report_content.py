"""The report content's shape survives storing as JSON, and each kind's period is whole
months that have ended."""

from __future__ import annotations

import datetime
import json

import pytest

from governance import report_builders as rb
from governance.report_content import Chart, Content, Figure, Period, Section, Table


def test_content_round_trips_through_json():
    content = Content(
        title="Monthly QA report",
        organisation="Council A",
        period=Period(datetime.date(2026, 11, 1), datetime.date(2026, 11, 30), "November 2026"),
        sections=[
            Section(
                key="audits",
                title="Audits",
                summary=["42 audits were completed."],
                figures=[Figure("Completed", 42, "of 50 due", "/audits/?month=2026-11")],
                tables=[Table("By grade", ["Grade", "Audits"], [["Good", 30]], ["/a/"], [1])],
                charts=[Chart("bar", "Grades", 0, 0, 1)],
                question="How well did we do it?",
                evidence=[("Audit grades", "/audits/")],
            )
        ],
    )
    again = Content.from_json(json.loads(json.dumps(content.to_json())))
    assert again == content


D = datetime.date


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "label"),
    [
        (rb.MONTHLY, D(2027, 1, 4), D(2026, 12, 1), D(2026, 12, 31), "December 2026"),
        (rb.MONTHLY, D(2028, 3, 1), D(2028, 2, 1), D(2028, 2, 29), "February 2028"),
        (rb.QUARTERLY, D(2027, 4, 1), D(2027, 1, 1), D(2027, 3, 31), "January to March 2027"),
        (
            rb.QUARTERLY,
            D(2027, 1, 4),
            D(2026, 10, 1),
            D(2026, 12, 31),
            "October to December 2026",
        ),
        (
            rb.JOURNEY,
            D(2027, 4, 1),
            D(2026, 10, 1),
            D(2027, 3, 31),
            "October 2026 to March 2027",
        ),
        (
            rb.JOURNEY,
            D(2026, 10, 1),
            D(2026, 4, 1),
            D(2026, 9, 30),
            "April to September 2026",
        ),
        (rb.ANNUAL, D(2027, 4, 1), D(2026, 4, 1), D(2027, 3, 31), "April 2026 to March 2027"),
        (
            rb.SELF_EVALUATION,
            D(2027, 2, 10),
            D(2025, 4, 1),
            D(2026, 3, 31),
            "April 2025 to March 2026",
        ),
    ],
)
def test_each_kind_covers_whole_months_that_have_ended(kind, day, start, end, label):
    assert rb.period_for(kind, day) == Period(start, end, label)


@pytest.mark.django_db
def test_who_reads_a_report(scenario):
    from governance.models import Board, Report

    # Without the access walk's report (tests/scenario.py): this test counts its own.
    Report.objects.all().delete()
    org = scenario.case.organisation
    people = scenario.people
    board = Board.objects.create(organisation=org, name="Quality Improvement Board")
    member = people["team_manager"]
    board.members.add(member, people["service_manager"])
    draft = Report.objects.create(
        organisation=org,
        kind=Report.Kind.MONTHLY,
        period_start=D(2026, 11, 1),
        period_end=D(2026, 11, 30),
        period_label="November 2026",
        status=Report.Status.DRAFT,
    )
    published = Report.objects.create(
        organisation=org,
        kind=Report.Kind.QUARTERLY,
        period_start=D(2026, 7, 1),
        period_end=D(2026, 9, 30),
        period_label="July to September 2026",
        status=Report.Status.PUBLISHED,
    )
    published.boards.add(board)
    draft.boards.add(board)

    def seen(person):
        return set(Report.objects.visible_to(person.user).values_list("pk", flat=True))

    assert seen(people["qa"]) == {draft.pk, published.pk}
    # A member of the board: once, and only what is published.
    assert list(Report.objects.visible_to(member.user)) == [published]
    assert seen(people["practitioner"]) == set()
    assert seen(people["regional_lead"]) == set()
    assert seen(people["other_org_qa"]) == set()
