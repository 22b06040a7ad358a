"""Complaint timeliness figures: their arithmetic, and each number matches its list."""

from __future__ import annotations

import datetime

import pytest

from feedback import complaints
from feedback.figures_complaints import complaint_timeliness
from feedback.models.complaints import Complaint, ComplaintStage
from tests.factories import ComplaintFactory, StaffMemberFactory

TODAY = datetime.date(2027, 2, 15)


def _stage_one(received_on, responded_on=None, extended_due_on=None, team=None):
    kwargs = {"received_on": received_on}
    if team is not None:
        kwargs["case__team"] = team
    complaint = ComplaintFactory(**kwargs)
    complaint.stages.update(responded_on=responded_on, extended_due_on=extended_due_on)
    return complaint


@pytest.fixture
def world(db):
    """Stage 1s of one team: in the quarter October to December 2026, two on time (one
    by its extension), one late; in January to March 2027, one overdue, one open in time;
    and one from a year before, outside the four quarters."""
    first = ComplaintFactory(received_on=datetime.date(2026, 11, 2))  # due 16 Nov
    first.stages.update(responded_on=datetime.date(2026, 11, 16))
    team = first.team
    _stage_one(
        datetime.date(2026, 12, 18),
        responded_on=datetime.date(2027, 1, 15),
        extended_due_on=datetime.date(2027, 1, 20),
        team=team,
    )
    _stage_one(datetime.date(2026, 10, 1), responded_on=datetime.date(2026, 11, 30), team=team)
    _stage_one(datetime.date(2027, 1, 4), team=team)  # due 18 Jan: overdue
    _stage_one(datetime.date(2027, 2, 12), team=team)  # due 26 Feb
    _stage_one(datetime.date(2025, 12, 1), responded_on=datetime.date(2025, 12, 5), team=team)
    qa = StaffMemberFactory(team=None, service=None, organisation=first.organisation, qa=True)
    return qa, team


def test_timeliness_by_stage_and_quarter(world, django_assert_max_num_queries):
    qa, _ = world
    with django_assert_max_num_queries(1):
        figures = complaint_timeliness(Complaint.objects.visible_to(qa.user), today=TODAY)
    assert figures.since == datetime.date(2026, 4, 1)
    assert figures.quarters == [
        datetime.date(2026, 4, 1),
        datetime.date(2026, 7, 1),
        datetime.date(2026, 10, 1),
        datetime.date(2027, 1, 1),
    ]
    cells = {r.quarter: (r.on_time, r.late, r.overdue, r.open) for r in figures.rows[1]}
    assert cells == {
        datetime.date(2026, 4, 1): (0, 0, 0, 0),
        datetime.date(2026, 7, 1): (0, 0, 0, 0),
        datetime.date(2026, 10, 1): (2, 1, 0, 0),
        datetime.date(2027, 1, 1): (0, 0, 1, 1),
    }
    total = figures.totals[1]
    assert (total.on_time, total.late, total.overdue, total.open, total.total) == (2, 1, 1, 1, 5)
    assert total.on_time_percent == 67  # 2 of 3 responded, halves up
    assert figures.totals[2].total == 0
    assert figures.totals[2].on_time_percent is None
    assert figures.chart_rows[0] == ("Stage 1: local resolution", 67, "67% (2 of 3)")


def test_each_number_matches_the_list_it_links_to(world):
    qa, _ = world
    figures = complaint_timeliness(Complaint.objects.visible_to(qa.user), today=TODAY)
    for row in [*figures.rows[1], figures.totals[1]]:
        period = {"quarter": row.quarter} if row.quarter else {"since": figures.since}
        for name in ("on_time", "late", "overdue", "open"):
            listed = complaints.complaint_list(
                user=qa.user, stage=1, timeliness=name, today=TODAY, **period
            )
            assert listed.count() == getattr(row, name), (row.quarter, name)


def test_figures_count_only_what_the_reader_sees(world):
    qa, _ = world
    other_team_manager = StaffMemberFactory(team_manager=True)
    figures = complaint_timeliness(
        Complaint.objects.visible_to(other_team_manager.user), today=TODAY
    )
    assert figures.totals[1].total == 0


def test_stage_two_counts_apart_from_stage_one(world):
    qa, team = world
    complaint = Complaint.objects.filter(team=team).order_by("received_on").last()
    ComplaintStage.objects.create(
        organisation=complaint.organisation,
        complaint=complaint,
        stage=2,
        started_on=datetime.date(2027, 1, 5),
        due_on=datetime.date(2027, 2, 9),
        responded_on=datetime.date(2027, 2, 11),
    )
    figures = complaint_timeliness(Complaint.objects.visible_to(qa.user), today=TODAY)
    assert (figures.totals[2].late, figures.totals[2].total) == (1, 1)
    assert figures.totals[1].total == 5
