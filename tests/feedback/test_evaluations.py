"""Adoption panel evaluations: the services, who sees what, the figures' arithmetic, the
pages' query bounds and their answers to bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from cases.models import Notification, StaffMember
from feedback import evaluations
from feedback import figures_evaluations as figures
from feedback.models import PanelEvaluation, PanelItem, PanelMeeting
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PanelEvaluationFactory,
    PanelItemFactory,
    PanelMeetingFactory,
    PanelMemberFactory,
    StaffMemberFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)


@pytest.fixture
def panel():
    """A meeting with a chair and two members, and one item on an adopter's case."""
    meeting = PanelMeetingFactory()
    org = meeting.organisation
    members = [PanelMemberFactory(organisation=org) for _ in range(2)]
    meeting.members.set(members)
    item = PanelItemFactory(meeting=meeting)
    return meeting, members, item


def _rate(item, member, report=3, presentation=3, analysis=3, comments=""):
    return evaluations.panel_evaluation_save(
        item=item,
        by=member,
        report=report,
        presentation=presentation,
        analysis=analysis,
        comments=comments,
    )


# Services.


def test_a_member_sitting_saves_their_evaluation_once_and_may_change_it(panel):
    meeting, members, item = panel
    _rate(item, members[0], 2, 3, 4, "Thin analysis")
    _rate(item, members[0], 3, 3, 4, "Better on reflection")
    saved = PanelEvaluation.objects.get(item=item, member=members[0])
    assert (saved.report, saved.presentation, saved.analysis) == (3, 3, 4)
    assert saved.comments == "Better on reflection"


def test_someone_not_sitting_cannot_evaluate(panel):
    meeting, members, item = panel
    outsider = PanelMemberFactory(organisation=meeting.organisation)
    with pytest.raises(evaluations.PanelStateError):
        _rate(item, outsider)
    assert not PanelEvaluation.objects.exists()


def test_a_rating_off_the_scale_saves_nothing(panel):
    meeting, members, item = panel
    with pytest.raises(Exception):  # noqa: B017, PT011 - full_clean's ValidationError
        _rate(item, members[0], report=5)
    assert not PanelEvaluation.objects.exists()


def test_sending_tells_the_social_worker_and_team_manager_once(panel):
    meeting, members, item = panel
    _rate(item, members[0])
    sent = evaluations.panel_item_send(item=item, by=meeting.chair, summary="Well presented.")
    assert sent.sent_on is not None
    assert sent.summary == "Well presented."
    told = set(Notification.objects.values_list("recipient_id", flat=True))
    assert told == {item.social_worker_id, item.team_manager_id}
    assert Notification.objects.first().url == item.get_absolute_url()


def test_sending_with_the_service_manager_marked_tells_them_too(panel):
    meeting, members, item = panel
    manager = StaffMemberFactory(
        team=None,
        organisation=meeting.organisation,
        service=item.case.service,
        service_manager=True,
    )
    PanelItem.objects.filter(pk=item.pk).update(service_manager=manager)
    item.refresh_from_db()
    _rate(item, members[0])
    evaluations.panel_item_send(
        item=item, by=meeting.chair, summary="See supervision.", to_service_manager=True
    )
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_only_the_chair_sends_and_only_once(panel):
    meeting, members, item = panel
    _rate(item, members[0])
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_send(item=item, by=members[0], summary="Mine")
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_send(item=item, by=meeting.chair, summary="Again")
    item.refresh_from_db()
    assert item.summary == "Sent"
    assert Notification.objects.count() == 2


def test_nothing_is_sent_without_a_summary_or_a_form(panel):
    meeting, members, item = panel
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_send(item=item, by=meeting.chair, summary="Nobody rated it")
    _rate(item, members[0])
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_send(item=item, by=meeting.chair, summary="   ")
    item.refresh_from_db()
    assert item.sent_on is None
    assert not Notification.objects.exists()


def test_no_evaluation_after_the_feedback_is_sent(panel):
    meeting, members, item = panel
    _rate(item, members[0])
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    with pytest.raises(evaluations.PanelStateError):
        _rate(item, members[1])


def test_a_meeting_is_chaired_and_sat_by_panel_members_of_its_organisation():
    org = OrganisationFactory()
    chair = PanelMemberFactory(organisation=org)
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_meeting_create(
            organisation_id=org.pk,
            held_on=TODAY,
            chair=chair,
            members=[PanelMemberFactory()],
        )
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_meeting_create(
            organisation_id=org.pk,
            held_on=TODAY,
            chair=StaffMemberFactory(team__service__organisation=org),
            members=[],
        )
    assert not PanelMeeting.objects.exists()


def test_an_approval_is_of_an_adopters_case(panel):
    meeting, members, item = panel
    child_case = CaseFactory(team=item.case.team)
    with pytest.raises(evaluations.PanelStateError):
        evaluations.panel_item_add(
            meeting=meeting,
            case=child_case,
            kind=PanelItem.Kind.APPROVAL,
            social_worker=item.social_worker,
            team_manager=item.team_manager,
        )


# Who sees what.


def _visible(model, staff):
    return set(model.objects.visible_to(staff.user).values_list("pk", flat=True))


def test_members_see_their_meetings_and_only_their_own_forms(panel):
    meeting, members, item = panel
    mine = _rate(item, members[0])
    theirs = _rate(item, members[1])
    other_meeting = PanelMeetingFactory(organisation=meeting.organisation)
    assert _visible(PanelMeeting, members[0]) == {meeting.pk}
    assert _visible(PanelEvaluation, members[0]) == {mine.pk}
    assert _visible(PanelEvaluation, meeting.chair) == {mine.pk, theirs.pk}
    assert other_meeting.pk in _visible(PanelMeeting, other_meeting.chair)


def test_the_social_worker_and_team_manager_see_the_item_once_sent_not_the_forms(panel):
    meeting, members, item = panel
    _rate(item, members[0])
    for person in (item.social_worker, item.team_manager):
        assert _visible(PanelItem, person) == set()
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    for person in (item.social_worker, item.team_manager):
        assert _visible(PanelItem, person) == {item.pk}
        assert _visible(PanelEvaluation, person) == set()
        assert _visible(PanelMeeting, person) == set()


def test_a_service_manager_sees_it_only_when_marked(panel):
    meeting, members, item = panel
    manager = StaffMemberFactory(
        team=None,
        organisation=meeting.organisation,
        service=item.case.service,
        service_manager=True,
    )
    PanelItem.objects.filter(pk=item.pk).update(service_manager=manager)
    item.refresh_from_db()
    _rate(item, members[0])
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    assert _visible(PanelItem, manager) == set()
    PanelItem.objects.filter(pk=item.pk).update(to_service_manager=True)
    assert _visible(PanelItem, manager) == {item.pk}


@pytest.mark.parametrize("role", ["qa", "senior_leader", "decision_maker"])
def test_the_organisations_readers_see_everything(panel, role):
    meeting, members, item = panel
    form = _rate(item, members[0])
    reader = StaffMemberFactory(
        team=None, service=None, organisation=meeting.organisation, role=role
    )
    assert _visible(PanelMeeting, reader) == {meeting.pk}
    assert _visible(PanelItem, reader) == {item.pk}
    assert _visible(PanelEvaluation, reader) == {form.pk}


@pytest.mark.parametrize("role", ["qa", "senior_leader", "panel_member", "regional_lead"])
def test_nobody_of_another_organisation_sees_any(panel, role):
    meeting, members, item = panel
    _rate(item, members[0])
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    outsider = StaffMemberFactory(
        team=None, service=None, organisation=OrganisationFactory(), role=role
    )
    for model in (PanelMeeting, PanelItem, PanelEvaluation):
        assert _visible(model, outsider) == set()


def test_a_colleague_in_the_same_team_sees_nothing(panel):
    meeting, members, item = panel
    _rate(item, members[0])
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    colleague = StaffMemberFactory(team=item.case.team)
    assert _visible(PanelItem, colleague) == set()


# Figures.


def test_periods_follow_the_financial_year():
    halves = figures.half_years(TODAY, 4)
    assert [p.key for p in halves] == ["2026-2", "2026-1", "2025-2", "2025-1"]
    assert halves[0].starts_on == datetime.date(2026, 10, 1)
    assert halves[0].ends_on == datetime.date(2027, 3, 31)
    assert halves[1].ends_on == datetime.date(2026, 9, 30)
    assert figures.half_years(datetime.date(2026, 4, 1), 1)[0].key == "2026-1"
    assert figures.half_years(datetime.date(2026, 3, 31), 1)[0].key == "2025-2"
    assert [p.key for p in figures.years(datetime.date(2027, 2, 1), 2)] == ["2026", "2025"]
    assert figures.half_years(datetime.date(2027, 2, 1), 1)[0].key == "2026-2"
    assert figures.period_by_key("2026-2").starts_on == datetime.date(2026, 10, 1)
    for bad in ("", "abc", "2026-3", "26", "2026-", "99999"):
        assert figures.period_by_key(bad) is None


def test_one_decimal_rounds_halves_up():
    assert figures.one_decimal(3.25) == Decimal("3.3")
    assert figures.one_decimal(10 / 3) == Decimal("3.3")
    assert figures.one_decimal(2.75) == Decimal("2.8")
    assert figures.one_decimal(None) is None


def test_period_averages_and_counts_add_up():
    """Two items in April to September 2026 (forms 4/3/2, 3/3/3 and 2/1/4) and one in the
    half before (4/4/4): each question's average is its ratings' mean, the overall the
    mean of every rating."""
    org = OrganisationFactory()
    first = PanelItemFactory(meeting__organisation=org, meeting__held_on=datetime.date(2026, 5, 6))
    second = PanelItemFactory(
        meeting__organisation=org, meeting__held_on=datetime.date(2026, 9, 30)
    )
    earlier = PanelItemFactory(
        meeting__organisation=org, meeting__held_on=datetime.date(2026, 3, 31)
    )
    PanelEvaluationFactory(item=first, report=4, presentation=3, analysis=2)
    PanelEvaluationFactory(
        item=first,
        member=PanelMemberFactory(organisation=org),
        report=3,
        presentation=3,
        analysis=3,
    )
    PanelEvaluationFactory(item=second, report=2, presentation=1, analysis=4)
    PanelEvaluationFactory(item=earlier, report=4, presentation=4, analysis=4)
    scores = figures.period_scores(PanelEvaluation.objects.all(), figures.half_years(TODAY, 3))
    empty, now, before = scores
    assert (now.evaluations, now.items) == (3, 2)
    assert now.averages == {
        "report": Decimal("3.0"),  # (4 + 3 + 2) / 3
        "presentation": Decimal("2.3"),  # 7 / 3
        "analysis": Decimal("3.0"),  # 9 / 3
    }
    assert now.overall == Decimal("2.8")  # 25 / 9 = 2.78
    assert (before.evaluations, before.items, before.overall) == (1, 1, Decimal("4.0"))
    assert (empty.evaluations, empty.overall) == (0, None)
    years = figures.period_scores(PanelEvaluation.objects.all(), figures.years(TODAY, 2))
    assert years[0].evaluations == 3
    assert years[1].evaluations == 1
    assert figures.chart_rows(scores)[1] == ("April to September 2026", 2.8, "2.8 out of 4")


def test_the_collation_averages_each_question(panel):
    meeting, members, item = panel
    _rate(item, members[0], 4, 2, 1)
    _rate(item, members[1], 3, 2, 2)
    _rate(item, meeting.chair, 4, 3, 2)
    collation = evaluations.item_collation(item=item)
    assert collation.averages == {
        "report": Decimal("3.7"),
        "presentation": Decimal("2.3"),
        "analysis": Decimal("1.7"),
    }
    assert [len(row["ratings"]) for row in collation.rows] == [3, 3, 3]
    assert collation.waiting_for == []


# Pages.


def _login(client, staff: StaffMember) -> None:
    client.force_login(staff.user)


def test_the_meeting_list_has_bounded_queries(client, django_assert_max_num_queries):
    org = OrganisationFactory()
    chair = PanelMemberFactory(organisation=org)
    for n in range(8):
        meeting = PanelMeetingFactory(
            organisation=org, chair=chair, held_on=TODAY - datetime.timedelta(days=30 * n)
        )
        for _ in range(3):
            PanelItemFactory(meeting=meeting)
    _login(client, chair)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:panel_meeting_list"))
    assert response.status_code == 200
    assert response.content.decode().count("Panel of ") == 8


def test_the_meeting_detail_has_bounded_queries(client, panel, django_assert_max_num_queries):
    meeting, members, item = panel
    for _ in range(6):
        extra = PanelItemFactory(meeting=meeting)
        PanelEvaluationFactory(item=extra, member=members[0])
    _login(client, meeting.chair)
    with django_assert_max_num_queries(16):
        response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    assert "Collate and send" in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
def test_the_summaries_and_their_items_have_bounded_queries(
    client, panel, django_assert_max_num_queries
):
    meeting, members, item = panel
    # The fixture dates its meeting from the real today; this test's half year is fixed.
    PanelMeeting.objects.filter(pk=meeting.pk).update(held_on=datetime.date(2026, 11, 8))
    for n in range(6):
        extra = PanelItemFactory(meeting=meeting)
        PanelEvaluationFactory(item=extra, member=members[n % 2], report=n % 4 + 1)
    reader = StaffMemberFactory(team=None, service=None, organisation=meeting.organisation, qa=True)
    _login(client, reader)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:panel_summaries"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body
    assert "?period=2026-2" in body
    with django_assert_max_num_queries(14):
        response = client.get(reverse("feedback:panel_summary_items"), {"period": "2026-2"})
    assert response.status_code == 200
    assert response.content.decode().count('class="govuk-table__row"') == 1 + 6


def test_an_evaluation_with_a_rating_missing_is_refused_and_saves_nothing(client, panel):
    meeting, members, item = panel
    _login(client, members[0])
    url = reverse("feedback:panel_item_evaluate", kwargs={"panel_item_pk": item.pk})
    response = client.post(url, {"report": "3", "presentation": "9", "comments": "Half done"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a rating for the social worker&#x27;s presentation" in body
    assert "Choose a rating for the analysis" in body
    assert not PanelEvaluation.objects.exists()


def test_a_member_evaluates_through_the_page(client, panel):
    meeting, members, item = panel
    _login(client, members[0])
    url = reverse("feedback:panel_item_evaluate", kwargs={"panel_item_pk": item.pk})
    response = client.post(url, {"report": "3", "presentation": "4", "analysis": "2"})
    assert response.status_code == 302
    assert PanelEvaluation.objects.get(member=members[0]).presentation == 4


def test_a_member_cannot_open_the_collation_or_send(client, panel):
    meeting, members, item = panel
    _rate(item, members[0])
    _login(client, members[0])
    url = reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"summary": "Mine"}).status_code == 403
    item.refresh_from_db()
    assert item.sent_on is None


def test_the_chair_sends_with_an_empty_summary_refused(client, panel):
    meeting, members, item = panel
    _rate(item, members[0])
    _login(client, meeting.chair)
    url = reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk})
    response = client.post(url, {"summary": ""})
    assert response.status_code == 400
    assert "Enter the collated feedback" in response.content.decode()
    response = client.post(url, {"summary": "Clear and well analysed."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.sent_on is not None


def test_the_social_worker_reads_the_copy_but_not_the_members_forms(client, panel):
    meeting, members, item = panel
    _rate(item, members[0], comments="A private remark")
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Well done.")
    _login(client, item.social_worker)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Well done." in body
    assert "A private remark" not in body
    collate = reverse("feedback:panel_item_collate", kwargs={"panel_item_pk": item.pk})
    assert client.get(collate).status_code == 403


def test_the_home_card_lists_the_feedback_sent(client, panel):
    meeting, members, item = panel
    _rate(item, members[0])
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Well done.")
    _login(client, item.team_manager)
    body = client.get(reverse("home")).content.decode()
    assert "My panel feedback" in body
    assert item.get_absolute_url() in body


def test_the_adopters_record_lists_its_panel_items(client, panel):
    meeting, members, item = panel
    reader = StaffMemberFactory(team=None, service=None, organisation=meeting.organisation, qa=True)
    _login(client, reader)
    body = client.get(item.case.adopter.get_absolute_url()).content.decode()
    assert 'id="panel-items"' in body


def test_the_summaries_are_not_for_social_workers(client, panel):
    meeting, members, item = panel
    _login(client, item.social_worker)
    assert client.get(reverse("feedback:panel_summaries")).status_code == 403
    assert client.get(reverse("feedback:panel_meeting_list")).status_code == 403


@time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
def test_my_actions_list_forms_to_complete_and_copies_to_send(client, panel):
    meeting, members, item = panel
    PanelMeeting.objects.filter(pk=meeting.pk).update(held_on=datetime.date(2026, 11, 6))
    _rate(item, members[0])
    assert evaluations.panel_action_items(user=members[0].user) == []
    [evaluate] = evaluations.panel_action_items(user=members[1].user)
    assert evaluate.due_on == datetime.date(2026, 11, 13)  # five working days after
    titles = [a.title for a in evaluations.panel_action_items(user=meeting.chair.user)]
    assert titles == [
        "Evaluate: Approval of prospective adopters",
        "Collate and send the feedback: Approval of prospective adopters",
    ]
    evaluations.panel_item_send(item=item, by=meeting.chair, summary="Sent")
    assert evaluations.panel_action_items(user=meeting.chair.user) == []
    _login(client, members[1])
    assert client.get(reverse("cases:my_actions")).status_code == 200
