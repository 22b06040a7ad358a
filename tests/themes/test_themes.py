"""The thematic review planner: proposing, agreeing, scheduling, the dip sample, the
findings write-up and its figures, and who may see and do what."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditType, Grade
from audits.services.audits import audit_create
from cases.models import Case
from core.months import month_end
from tests.factories import CaseFactory, StaffMemberFactory, TeamFactory
from themes.models import ThematicReview, ThemeAudit
from themes.selectors import (
    next_months,
    sample_preview,
    theme_history,
    theme_planner,
    theme_summary,
)
from themes.services import (
    Assignment,
    ThemeError,
    theme_agree,
    theme_complete,
    theme_decline,
    theme_findings_save,
    theme_propose,
    theme_sample_create,
    theme_schedule,
    theme_update,
)

pytestmark = pytest.mark.django_db

Status = ThematicReview.Status


def _this_month() -> datetime.date:
    return timezone.localdate().replace(day=1)


def _propose(scenario, *, by="qa", month=True, tool=True, sample_size=4, title="Chronologies"):
    person = scenario.people[by]
    return theme_propose(
        organisation=person.organisation,
        proposed_by=person,
        title=title,
        question="Are chronologies up to date and used to inform plans?",
        source=ThematicReview.Source.INDICATOR,
        month=_this_month() if month else None,
        tool=scenario.tool if tool else None,
        sample_size=sample_size,
    )


def _scheduled(scenario, **kwargs) -> ThematicReview:
    qa = scenario.people["qa"]
    theme = _propose(scenario, **kwargs)
    theme_agree(theme=theme, by=qa)
    return theme_schedule(theme=theme, by=qa)


def _open_cases(scenario, count: int, team=None) -> list[Case]:
    """Allocated open cases in a team of organisation A (the child's team by default)."""
    team = team or scenario.case.team
    worker = StaffMemberFactory(team=team)
    return [CaseFactory(team=team, allocated_worker=worker) for _ in range(count)]


def _sample(scenario, theme: ThematicReview, size: int | None = None):
    qa = scenario.people["qa"]
    picks = sample_preview(theme=theme, size=size or theme.sample_size)
    auditor = scenario.people["team_manager"]
    assignments = [Assignment(case=pick.case, auditor=pick.auditor or auditor) for pick in picks]
    return picks, theme_sample_create(theme=theme, by=qa, assignments=assignments)


def _login(client, scenario, key: str) -> None:
    client.force_login(scenario.people[key].user)


# The planner's life cycle, through the services.


def test_a_manager_proposes_and_qa_agrees_and_schedules(scenario):
    theme = _propose(scenario, by="team_manager")
    assert theme.status == Status.PROPOSED
    assert theme.proposed_by == scenario.people["team_manager"]
    theme_agree(theme=theme, by=scenario.people["qa"])
    theme = theme_schedule(theme=theme, by=scenario.people["qa"])
    assert theme.status == Status.SCHEDULED


def test_only_qa_of_the_organisation_agrees_a_theme(scenario):
    theme = _propose(scenario, by="team_manager")
    for key in ("team_manager", "senior_leader", "other_org_qa"):
        with pytest.raises(ThemeError, match="Only the QA service"):
            theme_agree(theme=theme, by=scenario.people[key])


def test_scheduling_needs_a_month_and_a_tool(scenario):
    qa = scenario.people["qa"]
    theme = _propose(scenario, month=False, tool=False)
    theme_agree(theme=theme, by=qa)
    with pytest.raises(ThemeError) as refused:
        theme_schedule(theme=theme, by=qa)
    assert str(refused.value) == (
        "Before you schedule the theme, choose the month and choose the audit tool"
    )
    theme.refresh_from_db()
    assert theme.status == Status.AGREED


def test_scheduling_needs_the_theme_agreed_first(scenario):
    theme = _propose(scenario)
    with pytest.raises(ThemeError, match="Agree the theme before you schedule it"):
        theme_schedule(theme=theme, by=scenario.people["qa"])


def test_completing_needs_findings(scenario):
    theme = _scheduled(scenario)
    with pytest.raises(ThemeError, match="Write up the findings before you mark the theme"):
        theme_complete(theme=theme, by=scenario.people["qa"])
    theme_findings_save(theme=theme, by=scenario.people["qa"], findings="Chronologies were late.")
    assert theme_complete(theme=theme, by=scenario.people["qa"]).status == Status.COMPLETE


def test_declining_keeps_the_reason_in_the_findings(scenario):
    theme = _propose(scenario)
    theme = theme_decline(theme=theme, by=scenario.people["qa"], reason="Covered by last month")
    assert theme.status == Status.DECLINED
    assert theme.findings == "Declined: Covered by last month"


def test_declining_needs_a_reason(scenario):
    theme = _propose(scenario)
    with pytest.raises(ThemeError, match="Enter why the theme is declined"):
        theme_decline(theme=theme, by=scenario.people["qa"], reason="   ")


def test_the_history_says_who_changed_the_status_and_when(scenario):
    theme = _propose(scenario, by="team_manager")
    theme_agree(theme=theme, by=scenario.people["qa"])
    changes = theme_history(theme=theme)
    assert [(c.label, c.who) for c in changes] == [
        ("Agreed", scenario.people["qa"].display_name),
        ("Proposed", scenario.people["team_manager"].display_name),
    ]


def test_two_themes_in_one_month_are_allowed_and_flagged(scenario):
    _scheduled(scenario, title="Chronologies")
    _scheduled(scenario, title="Neglect")
    planner = theme_planner(user=scenario.people["qa"].user, today=timezone.localdate())
    this_month = planner.months[0]
    assert [t.title for t in this_month.themes] == ["Chronologies", "Neglect"]
    assert this_month.crowded
    assert len(planner.months) == 12


# The dip sample.


def test_the_sample_creates_one_thematic_audit_per_case_due_at_month_end(scenario):
    _open_cases(scenario, 6)
    theme = _scheduled(scenario, sample_size=4)
    picks, result = _sample(scenario, theme)
    assert len(picks) == 4
    assert len(result.created) == 4
    audits = Audit.objects.filter(theme_link__theme=theme)
    assert audits.count() == 4
    assert set(audits.values_list("audit_type", "theme", "due_on", "tool")) == {
        (AuditType.THEMATIC, "Chronologies", month_end(_this_month()), scenario.tool.pk)
    }


def test_an_audit_is_in_one_theme_sample_at_most_and_outlives_its_theme(scenario):
    _open_cases(scenario, 2)
    theme = _scheduled(scenario, sample_size=2)
    _, result = _sample(scenario, theme, size=1)
    (audit,) = result.created
    other = _scheduled(scenario, title="Neglect")
    with pytest.raises(IntegrityError), transaction.atomic():
        ThemeAudit.objects.create(theme=other, audit=audit)
    ThematicReview.objects.filter(pk=theme.pk).delete()
    assert Audit.objects.filter(pk=audit.pk, theme_link__isnull=True).exists()


def test_posting_the_same_sample_twice_creates_nothing_more(scenario):
    _open_cases(scenario, 6)
    theme = _scheduled(scenario, sample_size=4)
    picks, _ = _sample(scenario, theme)
    again = theme_sample_create(
        theme=theme,
        by=scenario.people["qa"],
        assignments=[Assignment(pick.case, scenario.people["team_manager"]) for pick in picks],
    )
    assert again.created == []
    assert len(again.skipped) == 4
    assert Audit.objects.filter(theme_link__theme=theme).count() == 4


def test_a_case_already_sampled_for_the_theme_is_not_picked_again(scenario):
    _open_cases(scenario, 3)
    theme = _scheduled(scenario, sample_size=10)
    _, first = _sample(scenario, theme, size=2)
    sampled = {audit.case_id for audit in first.created}
    again = sample_preview(theme=theme, size=10)
    assert not sampled & {pick.case.pk for pick in again}


def test_cases_of_another_organisation_are_never_picked(scenario):
    other_team = scenario.people["other_org_manager"].team
    others = {case.pk for case in _open_cases(scenario, 5, team=other_team)}
    theme = _scheduled(scenario, sample_size=50)
    picked = {pick.case.pk for pick in sample_preview(theme=theme, size=50)}
    assert picked
    assert not picked & others
    assert all(
        case.organisation_id == theme.organisation_id for case in Case.objects.filter(pk__in=picked)
    )


def test_closed_cases_are_never_picked(scenario):
    closed = CaseFactory(
        team=scenario.case.team, status=Case.Status.CLOSED, closed_on=timezone.localdate()
    )
    theme = _scheduled(scenario, sample_size=50)
    assert closed.pk not in {pick.case.pk for pick in sample_preview(theme=theme, size=50)}


def test_cases_not_audited_in_the_last_year_come_first(scenario):
    # The child's case was audited today (scenario); two other cases in its team were not.
    fresh = {case.pk for case in _open_cases(scenario, 2)}
    theme = _scheduled(scenario, sample_size=2)
    picks = sample_preview(theme=theme, size=2)
    assert {pick.case.pk for pick in picks} <= fresh | {scenario.adopter_case.pk}
    assert scenario.case.pk not in {pick.case.pk for pick in picks}


def test_a_recently_audited_case_says_why_it_was_picked(scenario):
    theme = _scheduled(scenario, sample_size=50)
    picks = {pick.case.pk: pick for pick in sample_preview(theme=theme, size=50)}
    assert "too few cases not audited in the last 12 months" in picks[scenario.case.pk].reason
    assert picks[scenario.adopter_case.pk].reason.startswith("Never audited; the first case")


def test_the_sample_is_spread_across_teams_and_workers(scenario):
    team_a = scenario.case.team
    team_b = TeamFactory(service=team_a.service, name="T5")
    busy = _open_cases(scenario, 6, team=team_a)
    _open_cases(scenario, 1, team=team_a)
    _open_cases(scenario, 2, team=team_b)
    theme = _scheduled(scenario, sample_size=4)
    picks = sample_preview(theme=theme, size=4)
    # Not audited lately: T1's cases of two workers, T4's adopter case, T5's two cases.
    # Each team takes a turn, then T1's other worker goes before the busy one's second.
    teams = [pick.case.team_id for pick in picks]
    assert set(teams[:3]) == {team_a.pk, scenario.adopter_case.team_id, team_b.pk}
    assert teams[3] == team_a.pk
    assert sum(1 for pick in picks if pick.case.pk in {c.pk for c in busy}) == 1


def test_the_team_manager_is_the_suggested_auditor(scenario):
    _open_cases(scenario, 1)
    no_manager = TeamFactory(service=scenario.case.team.service, name="No manager")
    _open_cases(scenario, 1, team=no_manager)
    theme = _scheduled(scenario, sample_size=50)
    picks = sample_preview(theme=theme, size=50)
    by_team = {pick.case.team_id: pick.auditor for pick in picks}
    assert by_team[scenario.case.team_id] == scenario.people["team_manager"]
    assert by_team[no_manager.pk] is None


def test_the_sample_is_all_or_nothing(scenario):
    cases = _open_cases(scenario, 3)
    theme = _scheduled(scenario, sample_size=5)
    good = scenario.people["team_manager"]
    outsider = scenario.people["other_org_manager"]
    with pytest.raises(ThemeError, match="cannot audit cases for this theme"):
        theme_sample_create(
            theme=theme,
            by=scenario.people["qa"],
            assignments=[Assignment(cases[0], good), Assignment(cases[1], outsider)],
        )
    assert not Audit.objects.filter(theme_link__theme=theme).exists()


def test_the_sample_cannot_outgrow_its_size(scenario):
    cases = _open_cases(scenario, 3)
    theme = _scheduled(scenario, sample_size=2)
    with pytest.raises(ThemeError, match="more than the theme's sample size of 2"):
        theme_sample_create(
            theme=theme,
            by=scenario.people["qa"],
            assignments=[Assignment(case, scenario.people["team_manager"]) for case in cases],
        )


def test_only_a_scheduled_theme_is_sampled(scenario):
    theme = _propose(scenario)
    with pytest.raises(ThemeError, match="Schedule the theme before"):
        theme_sample_create(theme=theme, by=scenario.people["qa"], assignments=[])


# The summary for the reports.


def _graded(scenario, theme: ThematicReview, statuses_and_grades) -> None:
    for status, grade in statuses_and_grades:
        audit = audit_create(
            case=scenario.case,
            tool=scenario.tool,
            auditor=scenario.people["team_manager"],
            due_on=timezone.localdate(),
            audit_type=AuditType.THEMATIC,
            theme=theme.title,
        )
        ThemeAudit.objects.create(theme=theme, audit=audit)
        Audit.objects.filter(pk=audit.pk).update(status=status, overall_grade=grade)


def test_the_summary_counts_statuses_and_grades(scenario):
    theme = _scheduled(scenario)
    S = Audit.Status
    _graded(
        scenario,
        theme,
        [
            (S.FINAL, Grade.OUTSTANDING),
            (S.SUBMITTED, Grade.GOOD),
            (S.MODERATED, Grade.GOOD),
            (S.FINAL, Grade.INADEQUATE),
            (S.ASSIGNED, ""),
            # A grade typed into an open audit does not count yet.
            (S.IN_PROGRESS, Grade.INADEQUATE),
        ],
    )
    summary = theme_summary(theme)
    assert summary.sampled == 6
    assert dict(summary.by_status) == {
        "Assigned": 1,
        "In progress": 1,
        "Submitted": 1,
        "Moderated": 1,
        "Final": 2,
    }
    assert summary.graded == 4
    assert summary.not_yet_graded == 2
    assert [(row.label, row.count, row.percent) for row in summary.grades.rows] == [
        ("Outstanding", 1, 25),
        ("Good", 2, 50),
        ("Requires improvement to be good", 0, 0),
        ("Inadequate", 1, 25),
    ]
    assert summary.good_or_better == 3
    assert summary.good_or_better_percent == 75


def test_the_summary_rounds_halves_up(scenario):
    theme = _scheduled(scenario)
    S = Audit.Status
    _graded(
        scenario, theme, [(S.FINAL, Grade.GOOD), (S.FINAL, Grade.GOOD), (S.FINAL, "inadequate")]
    )
    assert theme_summary(theme).good_or_better_percent == 67


def test_the_summary_of_an_empty_sample_has_no_percentage(scenario):
    summary = theme_summary(_scheduled(scenario))
    assert summary.sampled == 0
    assert summary.good_or_better_percent is None


# The pages.


def test_the_planner_pages_refuse_practitioners(client, scenario):
    _login(client, scenario, "practitioner")
    assert client.get(reverse("themes:theme_list")).status_code == 403
    assert client.get(reverse("themes:theme_new")).status_code == 403


def test_another_organisations_theme_is_not_found(client, scenario):
    theme = _propose(scenario)
    for key in ("other_org_qa", "other_org_senior_leader"):
        _login(client, scenario, key)
        for name in ("theme_detail", "theme_findings", "theme_sample", "theme_edit"):
            url = reverse(f"themes:{name}", kwargs={"theme_pk": theme.pk})
            assert client.get(url).status_code in (403, 404), (key, name)
        url = reverse("themes:theme_status", kwargs={"theme_pk": theme.pk})
        assert client.post(url, {"action": "agree"}).status_code in (403, 404)
    theme.refresh_from_db()
    assert theme.status == Status.PROPOSED


def test_another_organisations_planner_does_not_list_the_theme(client, scenario):
    _propose(scenario, title="Secret spotlight")
    _login(client, scenario, "other_org_qa")
    response = client.get(reverse("themes:theme_list"))
    assert response.status_code == 200
    assert "Secret spotlight" not in response.content.decode()


def test_managers_read_but_only_qa_decides(client, scenario):
    theme = _propose(scenario)
    _login(client, scenario, "team_manager")
    assert client.get(theme.get_absolute_url()).status_code == 200
    url = reverse("themes:theme_status", kwargs={"theme_pk": theme.pk})
    assert client.post(url, {"action": "agree"}).status_code == 403
    sample = reverse("themes:theme_sample", kwargs={"theme_pk": theme.pk})
    assert client.get(sample).status_code == 403


def test_a_manager_proposes_a_theme_through_the_form(client, scenario):
    _login(client, scenario, "team_manager")
    month = next_months(timezone.localdate())[1]
    response = client.post(
        reverse("themes:theme_new"),
        {
            "title": "Re-referrals",
            "question": "Why are families coming back within a year?",
            "source": "indicator",
            "source_detail": "Re-referrals up from 18% to 24%",
            "month": month.isoformat(),
            "tool": scenario.tool.pk,
            "sample_size": "8",
        },
    )
    theme = ThematicReview.objects.get(title="Re-referrals")
    assert response.status_code == 302
    assert (theme.status, theme.month, theme.sample_size) == (Status.PROPOSED, month, 8)
    assert theme.proposed_by == scenario.people["team_manager"]


def test_the_propose_form_shows_govuk_errors_and_writes_nothing(client, scenario):
    _login(client, scenario, "qa")
    before = ThematicReview.objects.count()
    response = client.post(
        reverse("themes:theme_new"), {"title": "", "sample_size": "51", "month": "2001-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in body
    for message in (
        "Enter the theme",
        "Enter what the review should find out",
        "Select where the theme came from",
        "Select a month from the list",
        "The number of cases must be between 1 and 50",
    ):
        assert message in body
    assert ThematicReview.objects.count() == before


def test_qa_changes_a_theme_through_the_form(client, scenario):
    theme = _propose(scenario, by="team_manager")
    _login(client, scenario, "qa")
    url = reverse("themes:theme_edit", kwargs={"theme_pk": theme.pk})
    assert client.get(url).status_code == 200
    month = next_months(timezone.localdate())[2]
    response = client.post(
        url,
        {
            "title": "Chronologies and plans",
            "question": theme.question,
            "source": "meeting",
            "source_detail": "Senior Leadership Team",
            "month": month.isoformat(),
            "tool": "",
            "sample_size": "12",
        },
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.month, theme.tool, theme.sample_size) == (
        "Chronologies and plans",
        month,
        None,
        12,
    )


def test_a_scheduled_theme_keeps_its_month_and_tool(scenario):
    theme = _scheduled(scenario)
    with pytest.raises(ThemeError, match="A scheduled theme needs its month and its audit tool"):
        theme_update(
            theme=theme,
            by=scenario.people["qa"],
            title=theme.title,
            question=theme.question,
            source=theme.source,
            source_detail="",
            month=None,
            tool=scenario.tool,
            sample_size=4,
        )


def test_a_manager_cannot_change_a_theme(client, scenario):
    theme = _propose(scenario, by="team_manager")
    _login(client, scenario, "team_manager")
    url = reverse("themes:theme_edit", kwargs={"theme_pk": theme.pk})
    assert client.get(url).status_code == 403


def test_scheduling_without_month_and_tool_is_refused_on_the_page(client, scenario):
    theme = _propose(scenario, month=False, tool=False)
    theme_agree(theme=theme, by=scenario.people["qa"])
    _login(client, scenario, "qa")
    url = reverse("themes:theme_status", kwargs={"theme_pk": theme.pk})
    response = client.post(url, {"action": "schedule"})
    assert response.status_code == 400
    assert "Before you schedule the theme, choose the month and choose the audit tool" in (
        response.content.decode()
    )


def test_completing_without_findings_is_refused_on_the_page(client, scenario):
    theme = _scheduled(scenario)
    _login(client, scenario, "qa")
    url = reverse("themes:theme_status", kwargs={"theme_pk": theme.pk})
    response = client.post(url, {"action": "complete"})
    assert response.status_code == 400
    assert "Write up the findings before you mark the theme complete" in response.content.decode()


def test_declining_without_a_reason_is_refused_on_the_page(client, scenario):
    theme = _propose(scenario)
    _login(client, scenario, "qa")
    url = reverse("themes:theme_status", kwargs={"theme_pk": theme.pk})
    response = client.post(url, {"action": "decline", "decline-reason": ""})
    assert response.status_code == 400
    assert "Enter why the theme is declined" in response.content.decode()
    response = client.post(url, {"action": "decline", "decline-reason": "Done last quarter"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.findings == "Declined: Done last quarter"


def test_the_whole_journey_through_the_pages(client, scenario):
    _open_cases(scenario, 5)
    _login(client, scenario, "qa")
    response = client.post(
        reverse("themes:theme_new"),
        {
            "title": "Purpose of visits",
            "question": "Do visit records say why the visit happened?",
            "source": "board",
            "month": _this_month().isoformat(),
            "tool": scenario.tool.pk,
            "sample_size": "3",
        },
    )
    theme = ThematicReview.objects.get(pk=int(response["Location"].strip("/").split("/")[-1]))
    status_url = reverse("themes:theme_status", kwargs={"theme_pk": theme.pk})
    assert client.post(status_url, {"action": "agree"}).status_code == 302
    assert client.post(status_url, {"action": "schedule"}).status_code == 302

    sample_url = reverse("themes:theme_sample", kwargs={"theme_pk": theme.pk})
    page = client.get(sample_url)
    form = page.context["form"]
    assert len(form.picks) == 3
    data = {"cases": form.fields["cases"].initial}
    for pick in form.picks:
        data[f"auditor-{pick.case.pk}"] = str(scenario.people["team_manager"].pk)
    assert client.post(sample_url, data).status_code == 302
    assert client.post(sample_url, data).status_code == 302
    assert Audit.objects.filter(theme_link__theme=theme, audit_type=AuditType.THEMATIC).count() == 3

    findings_url = reverse("themes:theme_findings", kwargs={"theme_pk": theme.pk})
    page = client.get(findings_url)
    assert page.context["summary"].sampled == 3
    response = client.post(
        findings_url, {"findings": "Visits had a clear purpose.", "complete": "1"}
    )
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.status, theme.findings) == (Status.COMPLETE, "Visits had a clear purpose.")
    detail = client.get(theme.get_absolute_url()).content.decode()
    assert "Findings written up" in detail


def test_the_sample_page_needs_an_auditor_for_every_case(client, scenario):
    _open_cases(scenario, 2, team=TeamFactory(service=scenario.case.team.service))
    theme = _scheduled(scenario, sample_size=2)
    _login(client, scenario, "qa")
    url = reverse("themes:theme_sample", kwargs={"theme_pk": theme.pk})
    form = client.get(url).context["form"]
    response = client.post(url, {"cases": form.fields["cases"].initial})
    assert response.status_code == 400
    assert "Choose an auditor for" in response.content.decode()
    assert not Audit.objects.filter(theme_link__theme=theme).exists()


def test_the_sample_page_refuses_cases_of_another_organisation(client, scenario):
    theme = _scheduled(scenario, sample_size=2)
    other = _open_cases(scenario, 1, team=scenario.people["other_org_manager"].team)[0]
    _login(client, scenario, "qa")
    url = reverse("themes:theme_sample", kwargs={"theme_pk": theme.pk})
    response = client.post(
        url, {"cases": str(other.pk), f"auditor-{other.pk}": scenario.people["qa"].pk}
    )
    assert response.status_code == 400
    assert not Audit.objects.filter(case=other).exists()


def test_the_sample_page_refuses_a_closed_case(client, scenario):
    theme = _scheduled(scenario, sample_size=2)
    closed = _open_cases(scenario, 1, team=scenario.case.team)[0]
    closed.status, closed.closed_on = Case.Status.CLOSED, timezone.localdate()
    closed.save()
    _login(client, scenario, "qa")
    url = reverse("themes:theme_sample", kwargs={"theme_pk": theme.pk})
    response = client.post(
        url, {"cases": str(closed.pk), f"auditor-{closed.pk}": scenario.people["team_manager"].pk}
    )
    assert response.status_code == 400
    assert not Audit.objects.filter(case=closed).exists()


# Bounded queries.


def _themes(scenario, count: int) -> None:
    qa = scenario.people["qa"]
    months = next_months(timezone.localdate())
    ThematicReview.objects.bulk_create(
        ThematicReview(
            organisation=qa.organisation,
            title=f"Theme {n}",
            question="Why?",
            status=Status.values[n % len(Status.values)],
            month=months[n % len(months)],
            tool=scenario.tool,
            proposed_by=qa,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [10, 100])
def test_the_planner_takes_a_bounded_number_of_queries(
    client, scenario, django_assert_max_num_queries, count
):
    _themes(scenario, count)
    _login(client, scenario, "qa")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("themes:theme_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [10, 100])
def test_the_theme_page_takes_a_bounded_number_of_queries(
    client, scenario, django_assert_max_num_queries, count
):
    theme = _scheduled(scenario, sample_size=50)
    _graded(scenario, theme, [(Audit.Status.FINAL, Grade.GOOD)] * count)
    _login(client, scenario, "qa")
    for name in ("theme_detail", "theme_findings"):
        url = reverse(f"themes:{name}", kwargs={"theme_pk": theme.pk})
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
