"""The nightly recompute and data-quality run, one Celery task per organisation
(performance/tasks.py, performance/services/organisations.py): each task touches only its
organisation, runs under that organisation's lock, is idempotent and retries transient
errors; the entry tasks queue one per organisation; and the results add up to a single
pass over every organisation."""

from __future__ import annotations

import datetime
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, transaction

from cases.models import Child, JourneyEvent, Organisation
from core.scheduling import job_lock
from performance import tasks
from performance.models import AlertRule, DataQualityIssue, FocusedAuditProposal, IndicatorValue
from performance.quality_rules import CATALOGUE as RULES
from performance.services import indicators, quality
from performance.services.alerts import alert_rules_run
from performance.services.organisations import organisation_lock_name
from tests.performance.indicator_builders import AS_OF, D, Org, visit

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MORNING = datetime.datetime(2026, 5, 15, 2, 0, tzinfo=LONDON)
DAY = AS_OF.isoformat()


class Rollback(Exception):
    pass


def _council(*, seen_in_april: list[bool]) -> Org:
    """An organisation whose children are seen less and less, with an alert rule at 80%,
    a child without an ethnicity and a visit recorded late that does not say if the child
    was seen."""
    org = Org.build()
    org.qa = org.worker(qa=True)
    org.worker_one = org.worker()
    for day, was_seen in enumerate(seen_in_april, start=7):
        visit(org.case(worker=org.worker_one), D(2026, 4, day), seen=was_seen)
    org.unknown = org.case(worker=org.worker_one, child=org.child())
    Child.objects.filter(pk=org.unknown.child_id).update(ethnicity="")
    visit(
        org.case(worker=org.worker_one),
        D(2026, 5, 1),
        seen=None,
        recorded_on=D(2026, 5, 12),
    )
    AlertRule.objects.create(
        organisation=org.organisation, indicator="children-seen", threshold=80.0, created_by=org.qa
    )
    return org


@pytest.fixture
def councils(time_machine):
    time_machine.move_to(MORNING, tick=False)
    return (
        _council(seen_in_april=[True, False, False, False]),
        _council(seen_in_april=[True, True, False]),
    )


def _values(organisation) -> list[tuple]:
    return list(
        IndicatorValue.objects.filter(organisation=organisation.organisation)
        .order_by("indicator", "level", "month", "team_id", "service_id")
        .values_list("indicator", "level", "month", "team_id", "service_id", "value")
    )


def _issues(organisation=None) -> list[tuple]:
    issues = DataQualityIssue.objects.all()
    if organisation is not None:
        issues = issues.filter(organisation=organisation.organisation)
    return sorted(
        issues.values_list(
            "organisation_id", "rule__slug", "key", "status", "team_id", "assigned_to_id", "detail"
        )
    )


def _all_values() -> list[tuple]:
    return sorted(
        IndicatorValue.objects.values_list(
            "organisation_id", "indicator", "level", "month", "team_id", "service_id", "value"
        )
    )


def _proposals() -> list[tuple]:
    return sorted(
        FocusedAuditProposal.objects.values_list("organisation_id", "indicator", "month", "reason")
    )


# Each organisation's task does its own organisation only


def test_the_recompute_task_of_one_organisation_leaves_the_other_alone(councils):
    one, two = councils
    result = tasks.indicators_recompute_organisation_task.delay(one.pk, DAY).get()
    assert result["created"] == len(_values(one)) > 0
    assert result["proposals"] == 1
    assert _values(two) == []
    assert list(FocusedAuditProposal.objects.values_list("organisation_id", flat=True)) == [one.pk]


def test_the_data_quality_task_of_one_organisation_leaves_the_other_alone(councils):
    one, two = councils
    quality.data_quality_run_organisation(organisation_id=two.pk, day=AS_OF)
    before = _issues(two)
    # Organisation two's child is put right, but only organisation one is run.
    Child.objects.filter(pk=two.unknown.child_id).update(ethnicity="WBRI")

    result = tasks.data_quality_run_organisation_task.delay(one.pk, DAY).get()

    assert result["raised"] == result["open"] == len(_issues(one)) > 0
    assert {issue[0] for issue in _issues(one)} == {one.pk}
    assert _issues(two) == before  # not closed as fixed: that is organisation two's run


def test_a_rule_sees_only_the_organisation_it_is_given(councils):
    one, two = councils
    keep = DataQualityIssue.objects.none()
    for rule in RULES:
        everyone = {f.key for f in rule.find(day=AS_OF, keep=keep)}
        mine = {f.key for f in rule.find(day=AS_OF, keep=keep, organisation_id=one.pk)}
        theirs = {f.key for f in rule.find(day=AS_OF, keep=keep, organisation_id=two.pk)}
        assert mine | theirs == everyone
        assert not mine & theirs
    assert all(
        f.organisation_id == one.pk
        for rule in RULES
        for f in rule.find(day=AS_OF, keep=keep, organisation_id=one.pk)
    )


# The entry tasks queue one task per organisation


@pytest.mark.parametrize(
    ("entry", "each"),
    [
        ("indicators_recompute_task", "indicators_recompute_organisation_task"),
        ("data_quality_run_task", "data_quality_run_organisation_task"),
    ],
)
def test_the_entry_task_queues_one_task_per_organisation_for_the_same_day(
    councils, monkeypatch, entry, each
):
    queued = []
    monkeypatch.setattr(getattr(tasks, each), "delay", lambda *args: queued.append(args))
    result = getattr(tasks, entry).delay().get()  # no day: today, under time-machine
    assert queued == [(one.pk, DAY) for one in councils]
    assert result == {"day": DAY, "queued": 2}


def test_the_nightly_tasks_do_every_organisation(councils):
    tasks.indicators_recompute_task.delay(DAY).get()
    tasks.data_quality_run_task.delay(DAY).get()
    for council in councils:
        assert _values(council)
        assert _issues(council)
    assert FocusedAuditProposal.objects.count() == 2


# Locks


@pytest.mark.parametrize(
    ("job", "task"),
    [
        (indicators.JOB, "indicators_recompute_organisation_task"),
        (quality.JOB, "data_quality_run_organisation_task"),
    ],
)
def test_the_lock_refuses_the_same_organisation_but_not_another(councils, job, task):
    one, two = councils
    run = getattr(tasks, task)
    with job_lock(organisation_lock_name(job, one.pk)):
        assert run.delay(one.pk, DAY).get() == {
            "organisation": one.pk,
            "skipped": "already running",
        }
        assert "skipped" not in run.delay(two.pk, DAY).get()
    assert not _values(one)
    assert not _issues(one)
    assert _values(two) or _issues(two)
    # Once the first run lets go, the organisation runs again.
    assert "skipped" not in run.delay(one.pk, DAY).get()


def test_the_command_skips_an_organisation_whose_task_is_running(councils):
    one, two = councils
    with job_lock(organisation_lock_name(quality.JOB, one.pk)):
        result = quality.data_quality_run(day=AS_OF)
    assert result["skipped"] == [one.pk]
    assert result["organisations"] == 1
    assert not _issues(one)
    assert _issues(two)


# Idempotence


def test_running_the_nightly_tasks_twice_changes_nothing_the_second_time(councils):
    tasks.indicators_recompute_task.delay(DAY).get()
    tasks.data_quality_run_task.delay(DAY).get()
    values, issues, proposals = _all_values(), _issues(), _proposals()
    stamps = dict(IndicatorValue.objects.values_list("pk", "computed_at"))

    for council in councils:
        again = tasks.indicators_recompute_organisation_task.delay(council.pk, DAY).get()
        assert (again["created"], again["updated"], again["deleted"], again["proposals"]) == (
            0,
            0,
            0,
            0,
        )
        run = tasks.data_quality_run_organisation_task.delay(council.pk, DAY).get()
        assert (run["raised"], run["refreshed"], run["fixed"], run["reopened"]) == (0, 0, 0, 0)
    assert (_all_values(), _issues(), _proposals()) == (values, issues, proposals)
    assert dict(IndicatorValue.objects.values_list("pk", "computed_at")) == stamps


# Failures and retries


def test_one_organisations_failure_does_not_stop_the_others(councils, monkeypatch, settings):
    one, two = councils
    real = quality.data_quality_run_organisation

    def broken_for_one(*, organisation_id, day):
        if organisation_id == one.pk:
            raise ValueError("a bug in organisation one's data")
        return real(organisation_id=organisation_id, day=day)

    monkeypatch.setattr(quality, "data_quality_run_organisation", broken_for_one)
    # In process: the failure is logged and reported, the other organisation still runs.
    result = quality.data_quality_run(day=AS_OF)
    assert (result["failed"], result["organisations"]) == ([one.pk], 1)
    assert not _issues(one)
    assert result["raised"] == len(_issues(two)) > 0
    with pytest.raises(CommandError, match="failed for organisations"):
        call_command("data_quality_run", "--date", DAY)


def test_a_task_failing_for_one_organisation_leaves_the_others_queued_tasks(councils, monkeypatch):
    one, two = councils
    real = indicators.recompute_organisation

    def broken_for_one(organisation_id, day):
        if organisation_id == one.pk:
            raise ValueError("a bug")
        return real(organisation_id, day)

    monkeypatch.setattr(indicators, "recompute_organisation", broken_for_one)
    outcomes = [
        tasks.indicators_recompute_organisation_task.apply((council.pk, DAY), throw=False)
        for council in councils
    ]
    assert [outcome.failed() for outcome in outcomes] == [True, False]
    assert not _values(one)
    assert _values(two)


def test_a_transient_error_is_retried(councils, monkeypatch):
    one, _two = councils
    real = quality.data_quality_run_organisation
    calls = Counter()

    def busy_once(*, organisation_id, day):
        calls[organisation_id] += 1
        if calls[organisation_id] == 1:
            raise OperationalError("database is locked")
        return real(organisation_id=organisation_id, day=day)

    monkeypatch.setattr(quality, "data_quality_run_organisation", busy_once)
    # Run eagerly, the retry happens at once (a worker waits for the backoff first).
    tasks.data_quality_run_organisation_task.apply((one.pk, DAY), throw=False)
    assert calls[one.pk] == 2
    assert _issues(one)


# The organisations' results add up to one pass over every organisation


def _single_pass_quality(day: datetime.date) -> dict[str, int]:
    """The run as it was before it was split: every rule over every organisation at once."""
    rows = quality.data_quality_rules_sync()
    counts: Counter[str] = Counter()
    for rule in RULES:
        counts.update(
            quality._run_rule(rule=rule, row=rows[rule.slug], day=day, organisation_id=None)
        )
    counts["open"] = DataQualityIssue.objects.current().count()
    return {name: counts[name] for name in quality.COUNTS}


def _in_rollback(run):
    try:
        with transaction.atomic():
            result = run(), _issues(), _all_values(), _proposals()
            raise Rollback
    except Rollback:
        return result


def _single_pass_recompute(day: datetime.date) -> dict[str, int]:
    """The recompute as it was before it was split: every organisation in turn, then the
    alert rules of every organisation."""
    totals: Counter[str] = Counter()
    for organisation_id in Organisation.objects.order_by("pk").values_list("pk", flat=True):
        totals.update(indicators.recompute_organisation(organisation_id, day))
    totals["proposals"] = alert_rules_run(day=day)["created"]
    return {name: totals[name] for name in indicators.COUNTS}


def test_the_data_quality_counts_add_up_to_a_single_pass(councils):
    one, two = councils
    # A night before, so the second night raises, refreshes, fixes and reopens.
    _single_pass_quality(AS_OF)
    Child.objects.filter(pk=one.unknown.child_id).update(ethnicity="WBRI")
    two.unknown.allocated_worker = two.worker()
    two.unknown.save()
    Child.objects.filter(pk=two.unknown.child_id).update(legal_status="")
    JourneyEvent.objects.filter(case__team__organisation=two.organisation).update(seen=None)
    resolved = DataQualityIssue.objects.filter(organisation=two.organisation).first()
    DataQualityIssue.objects.filter(pk=resolved.pk).update(
        status=DataQualityIssue.Status.RESOLVED, closed_on=AS_OF
    )
    night = AS_OF + datetime.timedelta(days=1)

    single = _in_rollback(lambda: _single_pass_quality(night))
    in_process = _in_rollback(lambda: quality.data_quality_run(day=night))
    fanned_out = _in_rollback(lambda: tasks.data_quality_run_task.delay(night.isoformat()).get())

    counts, issues = single[0], single[1]
    assert all(counts[name] for name in ("raised", "refreshed", "fixed", "reopened"))
    assert {name: in_process[0][name] for name in quality.COUNTS} == counts
    assert in_process[1] == fanned_out[1] == issues


def test_the_recompute_counts_add_up_to_a_single_pass(councils):
    single = _in_rollback(lambda: _single_pass_recompute(AS_OF))
    in_process = _in_rollback(lambda: indicators.indicators_recompute(day=AS_OF))
    fanned_out = _in_rollback(lambda: tasks.indicators_recompute_task.delay(DAY).get())

    assert single[0]["created"] > 0
    assert single[0]["proposals"] == 2
    assert {name: in_process[0][name] for name in indicators.COUNTS} == single[0]
    assert in_process[0]["organisations"] == 2
    assert in_process[2:] == fanned_out[2:] == single[2:]


# The commands


def test_the_commands_run_one_organisation_when_asked(councils):
    one, two = councils
    call_command("indicators_recompute", "--date", DAY, "--organisation", str(two.pk))
    call_command("data_quality_run", "--date", DAY, "--organisation", str(two.pk))
    assert not _values(one)
    assert not _issues(one)
    assert _values(two)
    assert _issues(two)
    call_command("data_quality_run", "--date", DAY)
    assert _issues(one)


def test_the_commands_refuse_an_unknown_organisation(councils):
    with pytest.raises(CommandError, match="no organisation with id 999"):
        call_command("data_quality_run", "--organisation", "999")
