"""An axe sweep over the feedback app's pages that no journey visits: complaint figures and
the close, learning, point and action forms; compliments; a questionnaire's paper answers;
the panel evaluation summaries; challenge timescales, escalation and closing; and the
staff surveys. Each page is opened by its address, its heading checked and axe run; the
form pages are also sent empty, so their error summaries are scanned too."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import JourneyEvent
from feedback import complaints, staff_voice
from feedback.models import Questionnaire
from feedback.models.complaints import Complaint
from tests.browser.conftest import assert_accessible, login
from tests.browser.demo import Demo
from tests.browser.keyboard import heading
from tests.factories import (
    ChallengeFactory,
    ComplaintFactory,
    ComplimentFactory,
    IndependentChairFactory,
    PanelEvaluationFactory,
    StaffMemberFactory,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def _open(page: Page, live_server, axe, url: str, h1: str) -> None:
    page.goto(f"{live_server.url}{url}")
    heading(page).to_have_text(h1)
    assert_accessible(page, axe)


def _send_empty(page: Page, axe, *errors: str) -> None:
    """Send the page's form as it is and scan its error summary."""
    form = page.locator("main form").last
    with page.expect_navigation():
        form.locator("button[type=submit], input[type=submit]").first.click()
    summary = page.locator(".govuk-error-summary")
    for error in errors:
        expect(summary).to_contain_text(error)
    if not errors:
        expect(summary).to_be_visible()
    assert_accessible(page, axe)


def _responded_complaint(demo: Demo) -> Complaint:
    """A complaint at stage 1 about a Kestrelford case, responded to (so it can close)."""
    complaint = ComplaintFactory(case=demo.in_team("lac1")[0])
    point = complaint.points.get()
    return complaints.stage_respond(
        complaint=complaint,
        by=demo.people["qa.manager"],
        responded_on=timezone.localdate(),
        outcomes={point.pk: "upheld"},
        response="Apology given.",
    ).complaint


def test_complaint_and_compliment_pages_are_accessible(
    live_server, page: Page, demo_people: Demo, axe
):
    complaint = _responded_complaint(demo_people)
    worker = demo_people.people["practitioner"]
    compliment = ComplimentFactory(worker=worker)
    login(page, live_server, "qa.manager")

    _open(page, live_server, axe, reverse("feedback:complaint_figures"), "Complaint timeliness")
    args = [complaint.pk]
    _open(
        page,
        live_server,
        axe,
        reverse("feedback:complaint_close", args=args),
        "Close the complaint",
    )
    _send_empty(page, axe)
    _open(
        page,
        live_server,
        axe,
        reverse("feedback:complaint_learning", args=args),
        "What we have learned",
    )
    _open(
        page,
        live_server,
        axe,
        reverse("feedback:complaint_point_new", args=args),
        "Add a point of complaint",
    )
    _send_empty(page, axe)
    _open(
        page, live_server, axe, reverse("feedback:complaint_action_new", args=args), "Add an action"
    )
    _send_empty(page, axe)

    _open(page, live_server, axe, reverse("feedback:compliment_list"), "Compliments")
    expect(page.locator("main")).to_contain_text("She listened to us.")
    _open(page, live_server, axe, reverse("feedback:compliment_new"), "Record a compliment")
    _send_empty(page, axe)
    _open(
        page,
        live_server,
        axe,
        reverse("feedback:compliment_detail", args=[compliment.pk]),
        f"A compliment for {worker.display_name}",
    )


def test_questionnaire_paper_answers_and_panel_summaries_are_accessible(
    live_server, page: Page, demo_people: Demo, axe
):
    case = next(c for c in demo_people.cases if c.adopter_id is not None)
    JourneyEvent.objects.create(
        organisation=case.organisation,
        case=case,
        kind=JourneyEvent.Kind.ADOPTION_ORDER,
        occurred_on=timezone.localdate() - datetime.timedelta(days=1),
        recorded_on=timezone.localdate(),
        outcome="Adoption order granted",
    )
    questionnaire = Questionnaire.objects.get(case=case)
    PanelEvaluationFactory(item__meeting__organisation=demo_people.council)
    login(page, live_server, "qa.manager")

    _open(
        page,
        live_server,
        axe,
        reverse("feedback:questionnaire_paper", args=[questionnaire.pk]),
        "Enter the answers from a paper copy",
    )
    _send_empty(page, axe)

    _open(page, live_server, axe, reverse("feedback:panel_summaries"), "Panel evaluation summaries")
    page.goto(f"{live_server.url}{reverse('feedback:panel_summary_items')}")
    heading(page).to_contain_text("Items evaluated, ")
    assert_accessible(page, axe)


def test_challenge_timescales_escalation_and_closing_are_accessible(
    live_server, page: Page, demo_people: Demo, axe
):
    chair = IndependentChairFactory(
        team=None, service=None, organisation=demo_people.council, user__username="iro"
    )
    challenge = ChallengeFactory(case=demo_people.in_team("lac1")[0], raised_by=chair)
    login(page, live_server, "qa.manager")

    _open(
        page,
        live_server,
        axe,
        reverse("feedback:dispute_timescales"),
        "Dispute resolution timescales",
    )
    page.locator("main form input[type=text], main form input[type=number]").first.fill("")
    _send_empty(page, axe)

    page.goto(f"{live_server.url}{reverse('feedback:challenge_escalate', args=[challenge.pk])}")
    heading(page).to_contain_text("Escalate to ")
    assert_accessible(page, axe)
    _send_empty(page, axe)
    _open(
        page,
        live_server,
        axe,
        reverse("feedback:challenge_resolve", args=[challenge.pk]),
        "Close the challenge",
    )
    _send_empty(page, axe)


def test_staff_survey_pages_are_accessible(live_server, page: Page, demo_people: Demo, axe):
    qa = demo_people.people["qa.manager"]
    team = demo_people.teams["lac1"]
    # Five more people in the team, so its results are shown, not withheld.
    for n in range(5):
        StaffMemberFactory(team=team, user__username=f"sv{n}")
    rows = [
        f"{team.name},{4 + n % 2},{3 + n % 3},{'Good team' if n == 0 else ''}" for n in range(6)
    ]
    upload = "team,I feel supported,I have time for direct work,comment\n" + "\n".join(rows)
    report = staff_voice.survey_import(
        by=qa,
        kind="staff_survey",
        year=2026,
        upload=io.BytesIO(upload.encode("utf-8")),
        file_name="survey.csv",
    )
    assert report.survey is not None, report.problems
    login(page, live_server, "qa.manager")

    _open(
        page, live_server, axe, reverse("feedback:survey_list"), "Staff surveys and health checks"
    )
    _open(
        page,
        live_server,
        axe,
        reverse("feedback:survey_results", args=[report.survey.pk]),
        str(report.survey),
    )
    _open(page, live_server, axe, reverse("feedback:survey_import"), "Import staff survey results")
    _send_empty(page, axe)
    # A file with a problem: nothing imported, and the problems listed by row.
    page.get_by_label("Year").fill("2025")
    page.locator("main form input[type=radio]").first.check()
    page.get_by_label("The results file (CSV)").set_input_files(
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": b"team,I feel supported\nNo such team,9\n",
            }
        ]
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was imported")
    expect(page.locator("#problem-table")).to_contain_text("is not one of your teams")
    assert_accessible(page, axe)
