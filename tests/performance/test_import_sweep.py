"""Import runs that a lost worker left unfinished end cleanly, and their uploads go."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from core.scheduling import job_lock
from performance.models import ImportRun
from performance.services.imports import import_run_create, import_runs_sweep, lock_name
from performance.services.imports.runs import NEVER_STARTED, STOPPED
from tests.performance.importing import csv_bytes, make_council, upload

pytestmark = pytest.mark.django_db

Status = ImportRun.Status
CHILDREN = "child_id,given_name,family_name,date_of_birth,gender,ethnicity,legal_status"


@pytest.fixture
def council():
    return make_council()


def _stored_run(council, status=Status.QUEUED) -> ImportRun:
    """A run whose upload is stored, as a worker left it (the task never ran here)."""
    run = import_run_create(
        uploaded_by=council.staff,
        kind=ImportRun.Kind.CHILDREN,
        upload=upload(csv_bytes(CHILDREN, "C1,Ada,Lovelace,,,,")),
    )
    ImportRun.objects.filter(pk=run.pk).update(status=status)
    run.refresh_from_db()
    assert run.file
    assert run.file.storage.exists(run.file.name)
    return run


@pytest.mark.parametrize("status", [Status.VALIDATING, Status.APPLYING])
def test_a_run_left_part_way_by_a_killed_worker_ends_as_failed_and_its_upload_goes(council, status):
    run = _stored_run(council, status)
    stored = run.file.name
    result = import_runs_sweep()
    run.refresh_from_db()
    assert result["ended"] == [run.pk]
    assert run.status == Status.FAILED
    assert run.message == STOPPED
    assert run.finished_at is not None
    assert not run.file
    assert not run.file.storage.exists(stored)


def test_a_run_a_worker_is_still_on_is_left_alone(council):
    run = _stored_run(council, Status.APPLYING)
    with job_lock(lock_name(run.organisation_id)):
        result = import_runs_sweep()
    run.refresh_from_db()
    assert result == {"ended": [], "requeued": [], "busy": [run.pk]}
    assert run.status == Status.APPLYING
    assert run.file


def test_sweeping_twice_changes_nothing_more(council):
    run = _stored_run(council, Status.APPLYING)
    import_runs_sweep()
    finished = ImportRun.objects.get(pk=run.pk).finished_at
    assert import_runs_sweep() == {"ended": [], "requeued": [], "busy": []}
    assert ImportRun.objects.get(pk=run.pk).finished_at == finished


def test_a_queued_run_whose_message_was_lost_is_queued_again_and_imported(council):
    with time_machine.travel(timezone.now() - datetime.timedelta(hours=2)):
        run = _stored_run(council)
    result = import_runs_sweep()
    run.refresh_from_db()
    assert result["requeued"] == [run.pk]
    assert run.status == Status.APPLIED, run.problems.values_list("message", flat=True)
    assert not run.file


def test_a_recently_queued_run_is_left_to_its_task(council):
    run = _stored_run(council)
    assert import_runs_sweep()["requeued"] == []
    assert ImportRun.objects.get(pk=run.pk).status == Status.QUEUED


def test_a_run_queued_for_over_a_day_is_given_up_and_its_upload_goes(council):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=2)):
        run = _stored_run(council)
    import_runs_sweep()
    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.message == NEVER_STARTED.format(pk=run.pk)
    assert not run.file


def test_the_sweep_runs_by_hand_through_the_same_code(council, capsys):
    run = _stored_run(council, Status.VALIDATING)
    call_command("import_runs_sweep")
    assert f"'ended': [{run.pk}]" in capsys.readouterr().out
    assert ImportRun.objects.get(pk=run.pk).status == Status.FAILED


def test_a_starting_worker_sweeps(council):
    from celery.signals import worker_ready

    run = _stored_run(council, Status.APPLYING)
    worker_ready.send(sender=None)
    assert ImportRun.objects.get(pk=run.pk).status == Status.FAILED


def test_the_sweep_is_scheduled_nightly(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "performance.tasks.import_runs_sweep_task" in tasks
