"""The demo audits: real tools in every organisation, a year of audits, and work waiting
for the demo logins; loaded by `load_demo` through the audits app's `demo_loader`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from audits.demo import ADOPTION_FILE, DIP_SAMPLE, PRACTICE_REVIEW, SUPERVISION
from audits.demo.supervision import CODE as SUPERVISION_RECORDS
from audits.models import (
    GOOD_OR_BETTER,
    Answer,
    Audit,
    AuditAction,
    AuditTool,
    AuditType,
    Respondent,
    ToolQuestion,
    ToolSection,
)
from audits.selectors import my_actions, my_audits
from audits.services.audits import submission_errors
from cases.models import Organisation, Service, StaffMember
from tests import testdb

# Its tests share one loaded demo (a module fixture): on one xdist worker it is loaded
# once, not once on each (make test runs with --dist loadgroup).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-audits")]

REPO = Path(__file__).resolve().parents[2]
# The supervision records audit is for supervision audits (of staff, not cases).
COUNCIL_TOOLS = {PRACTICE_REVIEW, SUPERVISION, DIP_SAMPLE, SUPERVISION_RECORDS}
AGENCY_TOOLS = {ADOPTION_FILE, SUPERVISION, DIP_SAMPLE, SUPERVISION_RECORDS}


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (AuditTool, ToolSection, ToolQuestion, Audit, Answer, AuditAction)
    return {model.__name__: model.objects.count() for model in models}


def user(username: str):
    return StaffMember.objects.select_related("user").get(user__username=username).user


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The small demo with its audits, loaded once for this module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = load()
        testdb.check_constraints_now()
        yield output
        transaction.set_rollback(True)


def published(org: Organisation) -> dict[str, AuditTool]:
    tools = AuditTool.objects.filter(organisation=org, status=AuditTool.Status.PUBLISHED)
    return {tool.code: tool for tool in tools}


def test_the_load_reports_the_audits_of_each_organisation(demo):
    for org in Organisation.objects.all():
        assert f"{org.name}: 3 published audit tools" in demo


def test_each_organisation_has_its_tools_published(demo):
    for org in Organisation.objects.all():
        expected = AGENCY_TOOLS if org.kind == Organisation.Kind.ADOPTION_AGENCY else COUNCIL_TOOLS
        assert set(published(org)) == expected, org.slug
        assert not AuditTool.objects.filter(organisation=org, status="draft").exists()


def test_the_practice_review_has_a_part_for_each_of_the_three_respondents(demo):
    for org in Organisation.objects.exclude(kind=Organisation.Kind.ADOPTION_AGENCY):
        tool = published(org)[PRACTICE_REVIEW]
        respondents = set(tool.sections.values_list("respondent", flat=True))
        titles = list(tool.sections.values_list("title", flat=True))

        assert respondents == set(Respondent.values)
        assert titles == [
            "Child's records review",
            "Practitioner reflective tool",
            "Parent and child feedback",
        ]
        assert set(tool.audit_types) == {AuditType.REGULAR, AuditType.THEMATIC, AuditType.FOCUSED}
        assert set(tool.service_kinds).isdisjoint(Service.ADOPTION_KINDS)
        assert Service.Kind.LOOKED_AFTER in tool.service_kinds


def test_the_tools_use_every_kind_of_question_with_guidance(demo):
    org = Organisation.objects.get(slug="kestrelford")
    questions = ToolQuestion.objects.filter(section__tool=published(org)[PRACTICE_REVIEW])

    assert set(questions.values_list("kind", flat=True)) == set(ToolQuestion.Kind.values)
    assert questions.exclude(guidance="").count() >= 10
    assert questions.filter(kind="choice").first().choices


def test_the_agency_audits_its_three_kinds_of_file(demo):
    agency = Organisation.objects.get(kind=Organisation.Kind.ADOPTION_AGENCY)
    tool = published(agency)[ADOPTION_FILE]
    file_type = ToolQuestion.objects.get(section__tool=tool, text="Which file type is this?")
    audits = Audit.objects.filter(tool=tool)

    assert set(tool.service_kinds) == set(Service.ADOPTION_KINDS)
    assert file_type.choices == ["Recruitment and assessment", "Family finding", "Adoption support"]
    assert ToolQuestion.objects.filter(section__tool=tool, kind="date").exists()
    assert 12 <= audits.count() <= 20
    assert audits.values("auditor").distinct().count() >= 3
    answers = Answer.objects.filter(question=file_type).values_list("value", flat=True)
    assert len(set(answers)) >= 2


def test_the_first_councils_practice_review_has_two_versions_with_audits_on_each(demo):
    org = Organisation.objects.get(slug="kestrelford")
    versions = {
        tool.version: tool
        for tool in AuditTool.objects.filter(organisation=org, code=PRACTICE_REVIEW)
    }

    assert set(versions) == {1, 2}
    assert versions[1].status == AuditTool.Status.RETIRED
    assert versions[2].status == AuditTool.Status.PUBLISHED
    assert versions[1].published_at < versions[2].published_at
    v1, v2 = (ToolQuestion.objects.filter(section__tool=versions[n]) for n in (1, 2))
    assert v2.count() == v1.count() + 1
    records = v2.filter(section__title="Child's records review")
    assert list(records.values_list("text", flat=True))[-3:] == [
        "What difference has our involvement made for the child?",
        "Where there is neglect, does the record show its cumulative impact on the child?",
        "Evidence for your judgements",
    ]
    assert 3 <= versions[1].audits.count() < versions[2].audits.count()
    oldest_v2 = versions[2].audits.order_by("created_at").first().created_at
    assert not versions[1].audits.filter(created_at__gt=oldest_v2).exists()


def test_team_manager_has_audits_to_complete_and_to_oversee(demo):
    manager = user("team.manager")
    practitioner = StaffMember.objects.get(user__username="practitioner")

    mine = my_audits(user=manager)

    assert 2 <= mine["to_complete"].count() <= 3
    assert {a.status for a in mine["to_complete"]} == {"assigned", "in_progress"}
    for audit in mine["to_complete"]:
        assert audit.case.team == manager.staff.team
        assert audit.practitioner == practitioner
    assert 1 <= mine["to_oversee"].count() <= 2
    assert not mine["to_oversee"].filter(auditor=manager.staff).exists()


def test_practitioner_has_a_reflection_an_acknowledgement_and_actions(demo):
    practitioner = user("practitioner")

    mine = my_audits(user=practitioner)
    unreflected = [
        audit
        for audit in mine["to_reflect"]
        if not audit.answers.filter(question__section__respondent=Respondent.PRACTITIONER).exists()
    ]

    assert unreflected
    assert mine["to_acknowledge"].count() >= 1
    assert 2 <= my_actions(user=practitioner).count() <= 4


def test_qa_manager_sees_every_audit_of_the_council(demo):
    qa = user("qa.manager")
    council = qa.staff.organisation

    assert Audit.objects.visible_to(qa).count() == council.audits.count()
    assert 25 <= council.audits.count() <= 40


def test_each_council_has_a_realistic_mix_of_statuses(demo):
    for org in Organisation.objects.exclude(kind=Organisation.Kind.ADOPTION_AGENCY):
        statuses = dict(org.audits.values_list("status").annotate(n=Count("pk")))

        assert 25 <= sum(statuses.values()) <= 40
        assert statuses["final"] > sum(statuses.values()) / 2
        for status in ("assigned", "in_progress", "submitted"):
            assert statuses.get(status, 0) >= 1, (org.slug, status)


def test_every_final_audit_has_oversight_and_a_grade(demo):
    finals = Audit.objects.filter(status=Audit.Status.FINAL)

    assert finals.count() > 60
    for audit in finals:
        assert audit.overall_grade
        assert audit.grade_rationale
        assert audit.oversight
        assert audit.oversight_by_id == audit.line_manager_id
        assert audit.submitted_at < audit.oversight_at
        assert 1 <= audit.actions.filter(source="oversight").count() <= 3


def test_submitted_audits_are_complete_and_dated_in_the_past_over_a_year(demo):
    now = timezone.now()
    done = Audit.objects.exclude(status__in=Audit.EDITABLE)
    months = {audit.submitted_at.strftime("%Y-%m") for audit in done}

    assert not done.filter(submitted_at__gt=now).exists()
    assert not Audit.objects.filter(oversight_at__gt=now).exists()
    assert len(months) >= 10
    for audit in done.select_related("tool"):
        assert submission_errors(audit) == []
        assert audit.created_at < audit.submitted_at
        assert abs((audit.due_on - audit.submitted_at.date()).days) <= 10


def test_open_audits_are_partly_answered_or_not_started(demo):
    assigned = Audit.objects.filter(status=Audit.Status.ASSIGNED)
    in_progress = Audit.objects.filter(status=Audit.Status.IN_PROGRESS)

    assert not Answer.objects.filter(audit__in=assigned).exists()
    for audit in in_progress:
        assert audit.answers.exists()
        assert not audit.overall_grade


def test_some_actions_are_done_and_some_open(demo):
    actions = AuditAction.objects.all()

    assert actions.filter(status="done").count() > actions.count() / 3
    assert actions.filter(status="open", due_on__lt=timezone.localdate()).exists()
    assert not actions.filter(status="done", done_on__gt=timezone.localdate()).exists()


def test_grades_improve_over_the_year(demo):
    today = timezone.localdate()
    graded = Audit.objects.exclude(overall_grade="").filter(tool__organisation__kind="council")

    def share(older: int, newer: int) -> float:
        window = [
            a.overall_grade in GOOD_OR_BETTER
            for a in graded
            if newer <= (today - a.submitted_at.date()).days < older
        ]
        return sum(window) / len(window)

    assert share(180, 0) > share(400, 180)


def test_answers_agree_with_the_grade(demo):
    def yes_share(grades: tuple[str, ...]) -> float:
        answers = Answer.objects.filter(
            question__kind="yes_no", audit__overall_grade__in=grades
        ).exclude(value="")
        return answers.filter(value="yes").count() / answers.count()

    assert yes_share(GOOD_OR_BETTER) > yes_share(("requires_improvement", "inadequate")) + 0.2


def test_some_audits_are_thematic_with_a_theme(demo):
    for org in Organisation.objects.all():
        thematic = org.audits.filter(audit_type=AuditType.THEMATIC).exclude(theme="")

        assert thematic.count() >= 2, org.slug
    themes = set(Audit.objects.exclude(theme="").values_list("theme", flat=True))
    assert {"Purpose of visits", "Life story work"} <= themes


def test_a_second_run_changes_no_audit_counts(demo):
    before = counts()

    load()

    assert counts() == before


def test_cases_never_imports_audits():
    pattern = re.compile(r"^\s*(import audits|from audits)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(REPO))
        for path in sorted((REPO / "cases").rglob("*.py"))
        if pattern.search(path.read_text())
    ]

    assert offenders == []


def test_large_size_adds_audits_in_bulk_to_the_first_council(demo):
    others = {
        org.slug: org.audits.count() for org in Organisation.objects.exclude(slug="kestrelford")
    }
    logins = {name: my_audits(user=user(name)) for name in ("team.manager", "practitioner")}
    before = {
        name: {part: qs.count() for part, qs in parts.items()} for name, parts in logins.items()
    }

    load("--size", "large", "--children", "260")
    after_first = counts()
    load("--size", "large", "--children", "260")

    kestrelford = Organisation.objects.get(slug="kestrelford")
    assert kestrelford.audits.count() == 2000
    assert kestrelford.audits.filter(status="final").count() > 1500
    assert {
        org.slug: org.audits.count() for org in Organisation.objects.exclude(slug="kestrelford")
    } == others
    assert counts() == after_first
    for name, parts in before.items():
        assert {part: qs.count() for part, qs in my_audits(user=user(name)).items()} == parts
