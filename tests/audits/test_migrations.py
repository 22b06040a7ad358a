"""Data migrations of the audits app, run forwards on a database at the migration before."""

import datetime

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _world(state):
    """An organisation with a looked-after service and team: a service manager, a team
    manager (the practitioner's line manager) and a practitioner with a case."""
    org = state.apps.get_model("cases", "Organisation").objects.create(
        region=state.apps.get_model("cases", "Region").objects.create(name="R", slug="r"),
        name="Council",
        slug="council",
        kind="council",
    )
    service = state.apps.get_model("cases", "Service").objects.create(
        organisation=org, name="Children looked after", kind="looked_after"
    )
    team = state.apps.get_model("cases", "Team").objects.create(
        organisation=org, service=service, name="T1"
    )
    users = state.apps.get_model("auth", "User").objects
    staff = state.apps.get_model("cases", "StaffMember").objects

    def person(username, **fields):
        return staff.create(
            user=users.create(username=username), organisation=org, service=service, **fields
        )

    service_manager = person("sm", role="service_manager", tier=2)
    team_manager = person("tm", role="team_manager", tier=1, team=team)
    practitioner = person("p", role="practitioner", team=team, line_manager=team_manager)
    child = state.apps.get_model("cases", "Child").objects.create(
        organisation=org,
        reference="C1",
        given_name="A",
        family_name="B",
        date_of_birth=datetime.date(2015, 1, 1),
    )
    case = state.apps.get_model("cases", "Case").objects.create(
        organisation=org,
        service=service,
        team=team,
        child=child,
        allocated_worker=practitioner,
        opened_on=datetime.date(2025, 1, 1),
    )
    tool = state.apps.get_model("audits", "AuditTool").objects.create(
        organisation=org, code="review", name="Review", status="published"
    )
    return case, tool, team_manager, practitioner, service_manager


def test_open_audits_the_auditor_was_to_oversee_go_to_the_next_manager_up(migrator):
    old = migrator.apply_initial_migration(("audits", "0004_oversight_agrees_with_grade"))
    case, tool, team_manager, practitioner, service_manager = _world(old)
    audits = old.apps.get_model("audits", "Audit").objects

    def audit(status, **fields):
        return audits.create(
            organisation_id=case.organisation_id,
            case=case,
            tool=tool,
            auditor=team_manager,
            practitioner=practitioner,
            line_manager=team_manager,
            due_on=datetime.date(2026, 1, 31),
            status=status,
            **fields,
        ).pk

    waiting = audit("submitted", overall_grade="good")
    open_ = audit("in_progress")
    final = audit("final", overall_grade="good", oversight="Agreed")

    new = migrator.apply_tested_migration(("audits", "0005_oversight_not_by_the_auditor"))
    line_managers = dict(
        new.apps.get_model("audits", "Audit").objects.values_list("pk", "line_manager_id")
    )
    assert line_managers[waiting] == service_manager.pk
    assert line_managers[open_] == service_manager.pk
    assert line_managers[final] == team_manager.pk  # the record of what happened stays


def test_submitted_audits_count_for_their_case_or_supervisees_team(migrator):
    old = migrator.apply_initial_migration(("audits", "0013_audit_index_with_grades"))
    case, tool, team_manager, practitioner, _service_manager = _world(old)
    audits = old.apps.get_model("audits", "Audit").objects
    common = {
        "organisation_id": case.organisation_id,
        "tool": tool,
        "auditor": team_manager,
        "due_on": datetime.date(2026, 1, 31),
    }
    graded = audits.create(
        case=case,
        status="submitted",
        overall_grade="good",
        submitted_at=datetime.datetime(2026, 1, 20, 10, tzinfo=datetime.UTC),
        **common,
    ).pk
    open_ = audits.create(case=case, status="in_progress", **common).pk
    supervision = audits.create(
        supervisee=practitioner,
        audit_type="supervision",
        period_start=datetime.date(2025, 7, 1),
        period_end=datetime.date(2025, 12, 31),
        status="final",
        overall_grade="good",
        submitted_at=datetime.datetime(2026, 1, 21, 10, tzinfo=datetime.UTC),
        **common,
    ).pk

    new = migrator.apply_tested_migration(("audits", "0014_audit_counts_for_its_team"))
    units = dict(
        (pk, (service, team))
        for pk, service, team in new.apps.get_model("audits", "Audit").objects.values_list(
            "pk", "service_id", "team_id"
        )
    )
    assert units[graded] == (case.service_id, case.team_id)
    assert units[supervision] == (case.service_id, practitioner.team_id)
    # Not submitted: it counts for nobody yet, and takes its team when it is submitted.
    assert units[open_] == (None, None)
