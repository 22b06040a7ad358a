"""The Quality Improvement Action Plan: gathering from every source app, its rules,
scoping, evidence of impact, re-audits before and after, the quarterly view, reminders and
the pages."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audits.models import Audit, AuditAction
from audits.services.audits import action_add, action_complete
from feedback.models.complaints import ComplaintAction
from feedback.models.disputes import ChallengeAction
from governance import plan, reminders_plan
from governance.models import ImpactEvidence, PlanAction, PlanUpdate, ReAudit
from observations.models import ObservationAction, PracticeEventAction
from performance.models import DataQualityIssue
from rota.services import rules_for
from tests.factories import FeedbackFactory, StaffMemberFactory
from tests.pages import page_text
from themes.models import ThematicReview

pytestmark = pytest.mark.django_db

Status = PlanAction.Status


def _gathered(scenario) -> dict[str, PlanAction]:
    plan.plan_gather(day=timezone.localdate(), organisation_id=scenario.case.organisation_id)
    return {
        a.source_key: a
        for a in PlanAction.objects.filter(organisation=scenario.case.organisation).exclude(
            source_key=""
        )
    }


# Gathering.


def test_the_plan_gathers_an_action_from_every_source_app_once(scenario):
    ThematicReview.objects.filter(pk=scenario.theme.pk).update(
        status=ThematicReview.Status.COMPLETE, findings="Visits rarely say why."
    )
    Audit.objects.filter(pk=scenario.audit.pk).update(
        status=Audit.Status.MODERATED,
        overall_grade="good",
        moderated_grade="requires_improvement",
        moderated_at=timezone.now(),
        moderation_feedback="The plan is not specific enough",
    )
    gathered = _gathered(scenario)
    sources = {a.source for a in gathered.values()}
    assert sources >= {
        "audit",
        "moderation",
        "observation",
        "practice_event",
        "thematic",
        "complaint",
        "dispute",
        "data_quality",
        "feedback",
    }
    you_said = gathered[f"you-said-we-did:{scenario.you_said.pk}"]
    assert you_said.status == Status.COMPLETED
    assert you_said.title.startswith("You said: ")
    audit_action = gathered[f"audit-action:{scenario.action.pk}"]
    assert audit_action.title == scenario.action.description
    assert audit_action.owner == scenario.action.owner
    assert audit_action.due_on == scenario.action.due_on
    assert audit_action.case == scenario.case
    assert audit_action.source_url.endswith(f"#action-{scenario.action.pk}")
    assert audit_action.status == Status.NOT_STARTED
    # Every action of each source, no more.
    organisation = scenario.case.organisation
    assert sum(1 for a in gathered.values() if a.source in ("audit", "oversight")) == (
        AuditAction.objects.filter(organisation=organisation).count()
    )
    assert sum(1 for a in gathered.values() if a.source == "observation") == (
        ObservationAction.objects.filter(organisation=organisation).count()
    )
    assert sum(1 for a in gathered.values() if a.source == "practice_event") == (
        PracticeEventAction.objects.filter(organisation=organisation).count()
    )
    assert sum(1 for a in gathered.values() if a.source == "complaint") == (
        ComplaintAction.objects.filter(organisation=organisation).count()
    )
    assert sum(1 for a in gathered.values() if a.source == "dispute") == (
        ChallengeAction.objects.filter(organisation=organisation).count()
    )
    moderation = gathered[f"moderation:{scenario.audit.pk}"]
    assert "Good" in moderation.title
    assert "Requires improvement" in moderation.title
    assert not moderation.closes_in_source
    # A second run changes nothing; nothing of the other organisation arrives.
    again = plan.plan_gather(day=timezone.localdate())
    assert again == {"added": 0, "updated": 0, "closed": 0}
    assert not PlanAction.objects.exclude(organisation=organisation).exists()


def test_done_at_its_source_completes_it_in_the_plan_and_reopening_reopens(scenario):
    _gathered(scenario)
    action_complete(action=scenario.action, by=scenario.people["practitioner"], note="Done")
    counts = plan.plan_gather(day=timezone.localdate())
    assert counts["updated"] == 1
    gathered = PlanAction.objects.get(source_key=f"audit-action:{scenario.action.pk}")
    assert gathered.status == Status.COMPLETED
    assert gathered.completed_on == timezone.localdate()
    AuditAction.objects.filter(pk=scenario.action.pk).update(status="open", done_on=None)
    plan.plan_gather(day=timezone.localdate())
    gathered.refresh_from_db()
    assert gathered.status == Status.IN_PROGRESS
    assert gathered.completed_on is None


def test_a_data_quality_theme_closes_when_nothing_is_left_open(scenario):
    gathered = _gathered(scenario)
    theme = next(a for a in gathered.values() if a.source == "data_quality")
    open_issues = DataQualityIssue.objects.filter(
        organisation=scenario.case.organisation, rule__slug=theme.source_key.split(":")[1]
    ).count()
    assert f"({open_issues} records to put right)" in theme.title
    DataQualityIssue.objects.filter(organisation=scenario.case.organisation).update(
        status=DataQualityIssue.Status.FIXED, closed_on=timezone.localdate()
    )
    day = timezone.localdate() + datetime.timedelta(days=1)
    assert plan.plan_gather(day=day)["closed"] >= 1
    theme.refresh_from_db()
    assert theme.status == Status.COMPLETED
    assert theme.completed_on == day


# Scoping and rules.


def test_who_sees_which_actions(scenario):
    people = scenario.people
    _gathered(scenario)
    everything = set(
        PlanAction.objects.filter(organisation=scenario.case.organisation).values_list(
            "pk", flat=True
        )
    )

    def seen(key):
        return set(plan.actions(user=people[key].user).values_list("pk", flat=True))

    for key in ("qa", "senior_leader", "business_support"):
        assert seen(key) == everything
    # The board decision's owner and its priority's lead; the practitioner their own.
    assert scenario.plan_action.pk in seen("team_manager")
    assert scenario.plan_action.pk in seen("service_manager")
    own = set(PlanAction.objects.filter(owner=people["practitioner"]).values_list("pk", flat=True))
    assert own
    assert seen("practitioner") == own
    for key in ("other_org_qa", "other_org_senior_leader", "regional_lead"):
        assert seen(key) == set()


def test_entered_actions_need_their_source_and_the_right_people(scenario):
    people, organisation = scenario.people, scenario.case.organisation
    due = timezone.localdate() + datetime.timedelta(days=30)
    common = {"organisation": organisation, "title": "Do it", "owner": people["qa"], "due_on": due}
    with pytest.raises(plan.PlanError, match="external review"):
        plan.action_create(by=people["qa"], source="inspection", **common)
    with pytest.raises(plan.PlanError, match="which board"):
        plan.action_create(by=people["qa"], source="board", **common)
    with pytest.raises(plan.PlanError, match="arrive from their source"):
        plan.action_create(by=people["qa"], source="audit", **common)
    with pytest.raises(plan.PlanError, match="Only the QA service"):
        plan.action_create(by=people["team_manager"], source="plan", **common)
    with pytest.raises(plan.PlanError, match="Only the QA service"):
        plan.action_create(by=people["other_org_qa"], source="plan", **{**common, "owner": None})
    outsider = StaffMemberFactory()
    with pytest.raises(plan.PlanError, match="own organisation"):
        plan.action_create(by=people["qa"], source="plan", **{**common, "owner": outsider})
    recommendation = plan.action_create(
        by=people["qa"], source="inspection", review=scenario.plan_review, **common
    )
    assert recommendation.review == scenario.plan_review
    assert not PlanAction.objects.filter(title="Do it").exclude(pk=recommendation.pk).exists()


def test_impact_is_evidenced_only_when_completed_with_evidence(scenario):
    qa = scenario.people["qa"]
    action = scenario.plan_action
    with pytest.raises(plan.PlanError, match="completed"):
        plan.impact_mark(action=action, by=qa)
    plan.update_add(
        action=action,
        by=scenario.people["team_manager"],
        text="Done",
        rag="green",
        status="completed",
    )
    action.refresh_from_db()
    assert action.status == Status.COMPLETED
    with pytest.raises(plan.PlanError, match="Link a piece of evidence"):
        plan.impact_mark(action=action, by=qa)
    with pytest.raises(plan.PlanError, match="Choose the indicator"):
        plan.evidence_add(action=action, by=qa, kind="indicator", summary="Better")
    with pytest.raises(plan.PlanError, match="There is no value of"):
        plan.evidence_add(
            action=action,
            by=qa,
            kind="indicator",
            summary="Better",
            indicator="visits-in-timescale",
            before_month=datetime.date(2026, 1, 1),
            after_month=datetime.date(2026, 6, 1),
        )
    feedback = FeedbackFactory(organisation=action.organisation)
    plan.evidence_add(
        action=action, by=qa, kind="feedback", summary="Families say so", feedback=feedback
    )
    done = plan.impact_mark(action=action, by=qa)
    assert done.status == Status.IMPACT_EVIDENCED
    assert done.impact_evidenced_on == timezone.localdate()
    with pytest.raises(plan.PlanError, match="Only the QA service"):
        plan.impact_mark(action=action, by=scenario.people["team_manager"])


def test_an_update_moves_the_action_on_and_sets_its_rag(scenario):
    owner = scenario.people["team_manager"]
    action = scenario.plan_action
    plan.update_add(action=action, by=owner, text="Started", rag="amber")
    action.refresh_from_db()
    assert (action.status, action.rag) == (Status.IN_PROGRESS, "amber")
    assert action.rag_on(timezone.localdate()) == "amber"
    # Overdue is red whatever the update said.
    assert action.rag_on(action.due_on + datetime.timedelta(days=1)) == "red"
    with pytest.raises(plan.PlanError, match="Only the action's owner"):
        plan.update_add(action=action, by=scenario.people["colleague"], text="x", rag="green")
    gathered = _gathered(scenario)[f"audit-action:{scenario.action.pk}"]
    with pytest.raises(plan.PlanError, match="where it was raised"):
        plan.update_add(
            action=gathered, by=scenario.people["qa"], text="x", rag="green", status="completed"
        )
    assert PlanUpdate.objects.filter(action=action).count() == 1


def test_rag_without_an_update_follows_the_due_date(scenario):
    action = scenario.plan_action
    assert action.rag_on(action.due_on - datetime.timedelta(days=30)) == "green"
    assert action.rag_on(action.due_on - datetime.timedelta(days=14)) == "amber"
    assert action.rag_on(action.due_on + datetime.timedelta(days=1)) == "red"


# Re-audits, before and after.


def test_a_re_audit_of_the_same_cases_shows_grades_before_and_after(scenario):
    qa = scenario.people["qa"]
    Audit.objects.filter(pk=scenario.audit.pk).update(
        status=Audit.Status.SUBMITTED,
        overall_grade="requires_improvement",
        submitted_at=timezone.now(),
    )
    action = _gathered(scenario)[f"audit-action:{scenario.action.pk}"]
    with pytest.raises(plan.PlanError, match="future"):
        plan.re_audit_request(action=action, by=qa, mode="same_cases", due_on=timezone.localdate())
    re_audit = plan.re_audit_request(
        action=action,
        by=qa,
        mode="same_cases",
        due_on=timezone.localdate() + datetime.timedelta(days=28),
    )
    pair = re_audit.cases.get()
    assert pair.case == scenario.case
    assert pair.original_id == scenario.audit.pk
    repeat = pair.repeat
    assert repeat.case == scenario.case
    assert repeat.auditor == scenario.audit.auditor
    assert repeat.status == Audit.Status.ASSIGNED
    before = plan.comparison(re_audit=re_audit)
    assert not before.finished
    assert before.before == {"graded": 1, "good": 0, "percent": 0}
    assert before.after == {"graded": 0, "good": 0, "percent": None}
    Audit.objects.filter(pk=repeat.pk).update(
        status=Audit.Status.SUBMITTED, overall_grade="good", submitted_at=timezone.now()
    )
    after = plan.comparison(re_audit=ReAudit.objects.get(pk=re_audit.pk))
    assert after.finished
    assert after.after == {"graded": 1, "good": 1, "percent": 100}
    assert [(row["before"], row["after"]) for row in after.rows] == [
        ("requires_improvement", "good")
    ]
    # A finished re-audit is evidence; then impact can be marked once the action is done.
    evidence = plan.evidence_add(
        action=action, by=qa, kind="re_audit", summary="Now good", re_audit=re_audit
    )
    assert evidence.kind == ImpactEvidence.Kind.RE_AUDIT


def test_a_re_audit_of_an_action_with_no_audit_must_be_a_dip_sample(scenario):
    qa = scenario.people["qa"]
    due = timezone.localdate() + datetime.timedelta(days=40)
    with pytest.raises(plan.PlanError, match="dip sample"):
        plan.re_audit_request(action=scenario.plan_action, by=qa, mode="same_cases", due_on=due)
    re_audit = plan.re_audit_request(
        action=scenario.plan_action, by=qa, mode="dip_sample", due_on=due
    )
    assert re_audit.theme is not None
    assert re_audit.theme.status == ThematicReview.Status.PROPOSED
    assert re_audit.theme.title.startswith("Re-audit: ")
    assert not plan.comparison(re_audit=re_audit).finished


# The quarterly monitoring view.


@time_machine.travel(datetime.datetime(2026, 11, 18, 12, tzinfo=datetime.UTC))
def test_the_quarter_counts_what_was_raised_completed_and_left_open(scenario):
    qa = scenario.people["qa"]
    organisation = scenario.case.organisation
    priority = scenario.plan_priority
    PlanAction.objects.all().delete()

    def action(raised, due, completed=None, **extra):
        return PlanAction.objects.create(
            organisation=organisation,
            priority=priority,
            title="A",
            source="plan",
            raised_on=raised,
            due_on=due,
            status=Status.COMPLETED if completed else Status.IN_PROGRESS,
            completed_on=completed,
            **extra,
        )

    d = datetime.date
    action(d(2026, 7, 2), d(2026, 8, 1), completed=d(2026, 8, 3))  # raised and done in Q3
    action(d(2026, 6, 1), d(2026, 9, 1))  # raised before, open and overdue at the end
    action(d(2026, 8, 10), d(2026, 12, 1))  # raised in Q3, open, not overdue
    action(d(2026, 8, 10), d(2026, 9, 10), completed=d(2026, 10, 5))  # overdue at end of Q3
    action(d(2026, 10, 2), d(2026, 12, 1))  # Q4: not in Q3 at all
    PlanUpdate.objects.create(
        action=PlanAction.objects.first(),
        organisation=organisation,
        text="x",
        rag="green",
        written_by=qa,
        written_at=datetime.datetime(2026, 8, 20, 12, tzinfo=datetime.UTC),
    )
    rows = plan.quarterly(user=qa.user, start=d(2026, 8, 15))
    row = next(r for r in rows if r.priority == priority)
    assert (row.raised, row.completed, row.open_at_end, row.overdue_at_end, row.updates) == (
        3,
        1,
        3,
        2,
        1,
    )
    assert plan.quarter_bounds(d(2026, 8, 15)) == (d(2026, 7, 1), d(2026, 9, 30))


# Reminders.


def test_the_plans_own_actions_are_reminded_and_escalated_once_overdue(scenario):
    action = scenario.plan_action
    owner = scenario.people["team_manager"]
    owner.line_manager = scenario.people["service_manager"]
    owner.save()
    rules = rules_for(action.organisation)
    day = action.due_on + datetime.timedelta(days=rules.escalation_days + 1)
    reminders = list(
        reminders_plan.plan_reminders(organisation_id=action.organisation_id, rules=rules, day=day)
    )
    assert [m.recipient for m in reminders] == [owner]
    escalations = list(
        reminders_plan.plan_escalations(
            organisation_id=action.organisation_id, rules=rules, day=day
        )
    )
    # The line manager leads the priority too: told once.
    assert [m.recipient for m in escalations] == [scenario.people["service_manager"]]
    # Gathered actions are reminded by their own app, not again here.
    _gathered(scenario)
    again = list(
        reminders_plan.plan_reminders(organisation_id=action.organisation_id, rules=rules, day=day)
    )
    assert len(again) == 1


# Pages.


def test_the_plan_pages_have_bounded_queries(client, scenario, django_assert_max_num_queries):
    qa = scenario.people["qa"]
    _gathered(scenario)
    PlanAction.objects.exclude(source_key="").update(priority=scenario.plan_priority)
    client.force_login(qa.user)
    pages = [
        reverse("governance:plan"),
        reverse("governance:action_list") + "?view=all",
        reverse("governance:plan_quarterly"),
        reverse("governance:priority_list"),
        reverse("governance:review_list"),
        scenario.plan_action.get_absolute_url(),
        scenario.plan_priority.get_absolute_url(),
    ]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    for n in range(20):
        plan.action_create(
            organisation=qa.organisation,
            by=qa,
            source="plan",
            title=f"More {n}",
            owner=qa,
            due_on=timezone.localdate() + datetime.timedelta(days=n + 1),
            priority=scenario.plan_priority,
        )
    # The priority's page looks behind its gathered actions for audits: however many.
    for n in range(5):
        action_add(
            audit=scenario.audit,
            description=f"Another finding {n}",
            owner=scenario.people["practitioner"],
            due_on=timezone.localdate() + datetime.timedelta(days=n + 1),
            by=scenario.people["team_manager"],
        )
    _gathered(scenario)
    PlanAction.objects.exclude(source_key="").update(priority=scenario.plan_priority)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_qa_adds_a_recommendation_and_the_owner_updates_it(client, scenario):
    qa = scenario.people["qa"]
    client.force_login(qa.user)
    url = reverse("governance:action_new") + f"?source=inspection&review={scenario.plan_review.pk}"
    due = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(url, {"title": "", "due_on_0": "x"})
    assert response.status_code == 400
    assert "Enter the recommendation" in page_text(response)
    assert not PlanAction.objects.filter(source="inspection").exists()
    response = client.post(
        url,
        {
            "title": "Strengthen oversight <script>",
            "owner": scenario.people["team_manager"].pk,
            "priority": scenario.plan_priority.pk,
            "due_on_0": due.day,
            "due_on_1": due.month,
            "due_on_2": due.year,
        },
    )
    action = PlanAction.objects.get(source="inspection")
    assert response.status_code == 302
    assert response["Location"] == action.get_absolute_url()
    body = client.get(scenario.plan_review.get_absolute_url()).content.decode()
    assert "Strengthen oversight &lt;script&gt;" in body
    client.force_login(scenario.people["team_manager"].user)
    response = client.post(
        reverse("governance:action_update", kwargs={"plan_action_pk": action.pk}),
        {"text": "Workshops booked", "rag": "green", "status": ""},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.rag) == (Status.IN_PROGRESS, "green")
    response = client.post(
        reverse("governance:action_update", kwargs={"plan_action_pk": action.pk}),
        {"text": "", "rag": "purple"},
    )
    assert response.status_code == 400
    assert "Enter what has happened" in page_text(response)


def test_two_people_changing_an_action_the_second_gets_a_conflict(client, scenario):
    qa, leader = scenario.people["qa"], scenario.people["senior_leader"]
    action = scenario.plan_action
    url = reverse("governance:action_edit", kwargs={"plan_action_pk": action.pk})
    due = action.due_on
    form = {
        "revision": action.revision,
        "priority": "",
        "title": "First version",
        "detail": "",
        "owner": action.owner_id,
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year,
    }
    client.force_login(qa.user)
    assert client.post(url, form).status_code == 302
    client.force_login(leader.user)
    response = client.post(url, {**form, "title": "Second version"})
    assert response.status_code == 409
    text = page_text(response)
    assert "changed this action after you opened it" in text
    assert "First version" in text  # theirs, shown
    assert 'value="Second version"' in response.content.decode()  # yours, kept
    action.refresh_from_db()
    assert action.title == "First version"


def test_other_people_cannot_change_the_plan(client, scenario):
    client.force_login(scenario.people["team_manager"].user)
    assert client.get(reverse("governance:action_new")).status_code == 403
    assert client.post(reverse("governance:plan_gather")).status_code == 403
    url = reverse("governance:action_impact", kwargs={"plan_action_pk": scenario.plan_action.pk})
    assert client.post(url).status_code == 403


# A theme beside its indicators (triangulation from the theme's side).


def test_a_theme_shows_the_indicators_it_is_about_and_they_show_it(client, scenario):
    from themes.services import theme_update

    theme, qa = scenario.theme, scenario.people["qa"]
    theme_update(
        theme=theme,
        by=qa,
        title=theme.title,
        question=theme.question,
        source=theme.source,
        source_detail=theme.source_detail,
        month=theme.month,
        tool=theme.tool,
        sample_size=theme.sample_size,
        indicators=["visits-in-timescale"],
    )
    client.force_login(scenario.people["senior_leader"].user)
    url = reverse("governance:board_theme", kwargs={"theme_pk": theme.pk})
    text = page_text(client.get(url))
    assert theme.title in text
    assert "The indicators it is about" in text
    assert "Visits" in text
    indicator = client.get(
        reverse("governance:board_measure", kwargs={"measure": "visits-in-timescale"})
    )
    assert url in indicator.content.decode()
    client.force_login(scenario.people["other_org_senior_leader"].user)
    assert client.get(url).status_code == 404
    client.force_login(scenario.people["team_manager"].user)
    assert client.get(url).status_code == 403


def test_an_indicator_change_is_read_from_the_figures_not_typed(scenario):
    qa, action = scenario.people["qa"], scenario.plan_action
    _visits(action, {datetime.date(2026, 1, 1): 71.3, datetime.date(2026, 6, 1): 86.0})
    evidence = plan.evidence_add(
        action=action,
        by=qa,
        kind="indicator",
        summary="Visits improved",
        indicator="visits-in-timescale",
        before_month=datetime.date(2026, 1, 1),
        after_month=datetime.date(2026, 6, 1),
    )
    assert (evidence.before, evidence.after) == ("71.3% in January 2026", "86.0% in June 2026")
    assert evidence.url == reverse(
        "governance:board_measure", kwargs={"measure": "visits-in-timescale"}
    )


def test_qa_links_an_indicator_change_through_the_page(client, scenario):
    qa, action = scenario.people["qa"], scenario.plan_action
    plan.update_add(
        action=action,
        by=scenario.people["team_manager"],
        text="Done",
        rag="green",
        status="completed",
    )
    client.force_login(qa.user)
    page = client.get(action.get_absolute_url())
    assert page.status_code == 200
    assert "Link evidence of impact" in page_text(page)
    months = [timezone.localdate().replace(day=1) - datetime.timedelta(days=d) for d in (200, 40)]
    months = [m.replace(day=1) for m in months]
    url = reverse("governance:action_evidence", kwargs={"plan_action_pk": action.pk})
    form = {
        "kind": "indicator",
        "summary": "More children seen in time",
        "indicator": "visits-in-timescale",
        "before_month": months[1].isoformat(),
        "after_month": months[0].isoformat(),
    }
    response = client.post(url, form)
    assert response.status_code == 400
    assert "The month after must come after the month before" in page_text(response)
    response = client.post(
        url, {**form, "before_month": months[0].isoformat(), "after_month": months[1].isoformat()}
    )
    assert response.status_code == 400
    assert "There is no value of" in page_text(response)
    _visits(action, dict(zip(months, (60.0, 75.0), strict=True)))
    response = client.post(
        url, {**form, "before_month": months[0].isoformat(), "after_month": months[1].isoformat()}
    )
    assert response.status_code == 302
    text = page_text(client.get(action.get_absolute_url()))
    assert f"60.0% in {months[0]:%B %Y}, then 75.0% in {months[1]:%B %Y}" in text


def test_a_priority_can_ask_for_a_re_audit_of_the_cases_behind_its_actions(client, scenario):
    qa = scenario.people["qa"]
    Audit.objects.filter(pk=scenario.audit.pk).update(
        status=Audit.Status.SUBMITTED, overall_grade="inadequate", submitted_at=timezone.now()
    )
    gathered = _gathered(scenario)[f"audit-action:{scenario.action.pk}"]
    PlanAction.objects.filter(pk=gathered.pk).update(priority=scenario.plan_priority)
    gathered.refresh_from_db()
    assert [a.pk for a in plan.priority_audits(priority=scenario.plan_priority)] == [
        scenario.audit.pk
    ]
    client.force_login(qa.user)
    url = reverse("governance:priority_re_audit", kwargs={"priority_pk": scenario.plan_priority.pk})
    response = client.post(url, {"mode": "same_cases"})
    assert response.status_code == 400
    assert "Enter the date the re-audit is due" in page_text(response)
    due = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        url,
        {"mode": "same_cases", "due_on_0": due.day, "due_on_1": due.month, "due_on_2": due.year},
    )
    assert response.status_code == 302
    re_audit = ReAudit.objects.get(priority=scenario.plan_priority)
    assert re_audit.action is None
    assert [p.original_id for p in re_audit.cases.all()] == [scenario.audit.pk]
    text = page_text(client.get(scenario.plan_priority.get_absolute_url()))
    assert "The same cases again" in text
    # Its evidence serves any action under the priority, once finished.
    Audit.objects.filter(pk=re_audit.cases.get().repeat_id).update(
        status=Audit.Status.SUBMITTED, overall_grade="good", submitted_at=timezone.now()
    )
    evidence = plan.evidence_add(
        action=gathered, by=qa, kind="re_audit", summary="Better now", re_audit=re_audit
    )
    assert evidence.re_audit == re_audit
    client.force_login(scenario.people["team_manager"].user)
    assert client.post(url, {"mode": "dip_sample"}).status_code == 403


def _visits(action: PlanAction, values: dict[datetime.date, float]) -> None:
    """The organisation's visits-in-timescale figure for these months (out of 100)."""
    from performance.models import IndicatorValue

    for month, value in values.items():
        IndicatorValue.objects.create(
            indicator="visits-in-timescale",
            organisation=action.organisation,
            level="organisation",
            month=month,
            numerator=int(value),
            denominator=100,
            value=value,
        )
