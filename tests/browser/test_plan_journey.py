"""The improvement plan's loop closed by keyboard alone, with axe on every page.

On 8 December 2026 qa.manager opens the Improvement plan from the header's Board group,
goes to External reviews and enters the Ofsted inspection that reported on 20 November
2026, then adds one of its recommendations (first sent empty: the error summary takes
the focus and links to each question), owned by team.manager under the priority "Care
planning", due 31 March 2027. team.manager signs in, finds it among their plan actions,
adds a progress update (amber) and marks it completed. qa.manager links a parent's
feedback as evidence of impact and marks the impact evidenced: the action says so.

The clock is moved with time-machine (the live server runs in this process).
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from playwright.sync_api import Page, expect

from governance.models import ExternalReview, ImpactEvidence, PlanAction, Priority
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo, build_demo
from tests.browser.keyboard import (
    choose_option,
    choose_radio,
    heading,
    link,
    success,
    tab_to,
)
from tests.browser.observation_steps import control, go, sign_out, type_date, type_into
from tests.factories import FeedbackFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 8, 10, 0, tzinfo=LONDON)
REPORTED = datetime.date(2026, 11, 20)
DUE = datetime.date(2027, 3, 31)
REVIEW = "ILACS inspection, November 2026"
RECOMMENDATION = "Make sure every child's care plan is reviewed with them"
SAID = "Our new worker went through the care plan with us line by line."


def _enter_the_review(page: Page, axe) -> ExternalReview:
    go(page, link("Board"))
    go(page, link("Improvement plan"))
    heading(page).to_have_text("Quality Improvement Action Plan")
    assert_accessible(page, axe)
    go(page, link("External reviews"))
    heading(page).to_have_text("External reviews and inspections")
    expect(page.locator("main")).to_contain_text("No external reviews entered yet.")
    assert_accessible(page, axe)

    choose_radio(page, "kind", "inspection")
    type_into(page, "id_title", REVIEW)
    type_date(page, "id_reported_on", REPORTED)
    type_into(page, "id_summary", "Good overall; care planning requires improvement.")
    go(page, control("Save the review"))
    success(page, "The review is saved")
    heading(page).to_have_text(REVIEW)
    expect(page.locator(".govuk-caption-l")).to_have_text(
        "Ofsted inspection, reported 20 November 2026"
    )
    assert_accessible(page, axe)
    review = ExternalReview.objects.get()
    assert (review.kind, review.reported_on) == ("inspection", REPORTED)
    return review


def _add_the_recommendation(page: Page, axe, demo: Demo, priority: Priority) -> PlanAction:
    go(page, link("Add a recommendation"))
    heading(page).to_have_text("Add a recommendation")
    expect(page.locator(".govuk-caption-l")).to_have_text(REVIEW)
    assert_accessible(page, axe)

    # Sent empty: the error summary has the focus and links to each question.
    go(page, control("Add to the plan"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    errors = summary.get_by_role("link")
    expect(errors).to_have_text(
        [
            "Enter the recommendation",
            "Enter the date the action is due",
            "Choose the action's owner",
        ]
    )
    expect(errors.nth(0)).to_have_attribute("href", "#id_title")
    expect(errors.nth(2)).to_have_attribute("href", "#id_owner")
    assert_accessible(page, axe)
    assert not PlanAction.objects.exists()

    # From the summary's first link straight to its question.
    tab_to(page, link("Enter the recommendation"))
    page.keyboard.press("Enter")
    expect(page.locator("#id_title")).to_be_focused()
    page.keyboard.type(RECOMMENDATION)
    type_into(page, "id_detail", "Reviewing officers to check the child's words are in it.")
    type_date(page, "id_due_on", DUE)
    choose_option(page, "id_owner", str(demo.people["team.manager"].pk))
    choose_option(page, "id_priority", str(priority.pk))
    go(page, control("Add to the plan"))
    success(page, "The action is in the plan")
    heading(page).to_have_text(RECOMMENDATION)
    assert_accessible(page, axe)
    action = PlanAction.objects.get()
    assert (action.source, action.owner, action.priority, action.due_on) == (
        PlanAction.Source.INSPECTION,
        demo.people["team.manager"],
        priority,
        DUE,
    )

    # The review lists it; open the action from there.
    go(page, link(REVIEW))
    heading(page).to_have_text(REVIEW)
    row = page.locator("#recommendations tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Tom Holroyd")
    expect(row).to_contain_text("31 Mar 2027")
    assert_accessible(page, axe)
    go(page, link(RECOMMENDATION))
    heading(page).to_have_text(RECOMMENDATION)
    summary_list = page.locator("#action-summary")
    expect(summary_list).to_contain_text("Care planning")
    expect(summary_list).to_contain_text(REVIEW)
    assert_accessible(page, axe)
    return action


def _owner_completes_it(page: Page, axe, live_server) -> None:
    login(page, live_server, "team.manager")
    # No board for a team manager: the header's Board group opens on the plan.
    go(page, link("Board"))
    heading(page).to_have_text("Quality Improvement Action Plan")
    assert_accessible(page, axe)
    go(page, link("Plan actions"))
    heading(page).to_have_text("Plan actions")
    expect(page.locator("#plan-actions tbody tr")).to_have_count(1)
    assert_accessible(page, axe)
    go(page, link(RECOMMENDATION))
    heading(page).to_have_text(RECOMMENDATION)
    assert_accessible(page, axe)

    type_into(page, "id_text", "Every care plan review in the team now starts with the child.")
    choose_radio(page, "rag", "amber")
    choose_radio(page, "status", "completed")
    go(page, control("Add the update"))
    success(page, "Your update is saved")
    expect(page.locator("#update-list")).to_contain_text("Tom Holroyd · Amber: at risk")
    expect(page.locator("main .govuk-tag").first).to_have_text("Completed")
    # Evidence of impact is QA's to link: not offered to the owner.
    expect(page.locator("#evidence-form")).to_have_count(0)
    assert_accessible(page, axe)


def _qa_evidences_the_impact(page: Page, axe, live_server, feedback) -> None:
    login(page, live_server, "qa.manager")
    go(page, link("Board"))
    go(page, link("Improvement plan"))
    go(page, link("1 completed"))
    heading(page).to_have_text("Plan actions")
    expect(
        page.get_by_role("navigation", name="Which actions").locator('[aria-current="page"]')
    ).to_have_text("Completed")
    assert_accessible(page, axe)
    go(page, link(RECOMMENDATION))
    heading(page).to_have_text(RECOMMENDATION)
    expect(page.locator("#evidence-form")).to_be_visible()
    # No evidence yet: no way to mark the impact evidenced.
    expect(page.get_by_role("button", name="Mark impact as evidenced")).to_have_count(0)
    assert_accessible(page, axe)

    choose_radio(page, "kind", "feedback")
    type_into(page, "id_summary", "The family says the care plan was gone through with them.")
    choose_option(page, "id_feedback", str(feedback.pk))
    go(page, control("Link the evidence"))
    success(page, "The evidence is linked to the action")
    expect(page.locator("#evidence-list")).to_contain_text(
        "Feedback: The family says the care plan was gone through with them."
    )
    expect(page.locator("#evidence-list")).to_contain_text(
        "The feedback, received 28 November 2026"
    )
    assert_accessible(page, axe)

    go(page, control("Mark impact as evidenced"))
    success(page, "The action's impact is evidenced")
    expect(page.locator("main .govuk-tag").first).to_have_text("Impact evidenced")
    expect(page.locator("#action-summary")).to_contain_text("Impact evidenced")
    expect(page.locator("#action-summary")).to_contain_text("8 December 2026")
    assert_accessible(page, axe)


def test_an_inspection_recommendation_from_entry_to_impact_evidenced(live_server, page: Page, axe):
    with time_machine.travel(NOW, tick=True):
        demo = build_demo()
        priority = Priority.objects.create(organisation=demo.council, title="Care planning")
        case = demo.in_team("lac1")[0]
        feedback = FeedbackFactory(
            case=case, received_on=datetime.date(2026, 11, 28), said=SAID, source="parent"
        )

        login(page, live_server, "qa.manager")
        _enter_the_review(page, axe)
        action = _add_the_recommendation(page, axe, demo, priority)
        sign_out(page)

        _owner_completes_it(page, axe, live_server)
        sign_out(page)

        _qa_evidences_the_impact(page, axe, live_server, feedback)

    action.refresh_from_db()
    assert action.status == PlanAction.Status.IMPACT_EVIDENCED
    assert action.completed_on == datetime.date(2026, 12, 8)
    update = action.updates.get()
    assert (update.rag, update.written_by) == ("amber", demo.people["team.manager"])
    evidence = ImpactEvidence.objects.get(action=action)
    assert (evidence.kind, evidence.feedback) == ("feedback", feedback)
