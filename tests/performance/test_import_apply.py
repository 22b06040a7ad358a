"""Writing an import: children, cases and events by their natural keys, all or nothing,
idempotent, to the uploader's organisation, with progress the run page can read."""

from __future__ import annotations

import datetime

import pytest
from celery.exceptions import Retry

from cases.models import Case, Child, JourneyEvent
from core.scheduling import JobAlreadyRunning, job_lock
from performance.models import ImportRun
from performance.services.imports import (
    import_run_process,
    lock_name,
    progress,
    runs,
    selectors,
    writing,
)
from performance.tasks import IMPORT_MAX_RETRIES, import_run_process_task
from tests.factories import ChildFactory, ImportRunFactory, OrganisationFactory
from tests.performance.importing import (
    csv_bytes,
    make_council,
    problems_of,
    run_import,
    ssda903_files,
    upload,
)

pytestmark = pytest.mark.django_db

Kind = ImportRun.Kind
Status = ImportRun.Status
CHILDREN = "child_id,given_name,family_name,date_of_birth,gender,ethnicity,legal_status"
CASES = "case_id,child_id,team,opened_on,closed_on,journey_stage,worker"
EVENTS = "event_id,case_id,kind,occurred_on,recorded_on,seen,seen_alone,placement_type,outcome"


def children_file() -> bytes:
    return csv_bytes(
        CHILDREN,
        "C1,Ada,Lovelace,2015-12-10,female,WBRI,C2",
        "C2,Grace,Hopper,09/12/2016,female,BCRB,",
        "C3,Alan,Turing,2014-06-23,male,,V2",
    )


def cases_file(worker: str = "") -> bytes:
    return csv_bytes(
        CASES,
        f"K1,C1,Looked after 1,2023-01-05,,looked_after,{worker}",
        "K2,C2,Child protection 1,2023-02-01,2023-08-01,closed,",
        "K3,C3,Looked after 1,2023-03-01,,looked_after,",
    )


def events_file(count: int = 6) -> bytes:
    start = datetime.date(2023, 3, 1)
    rows = []
    for n in range(count):
        day = (start + datetime.timedelta(days=n)).isoformat()
        rows.append(f"E{n:04d},K{n % 3 + 1},visit,{day},{day},yes,{'yes' if n % 2 else 'no'},,")
    return csv_bytes(EVENTS, *rows)


def import_all(council) -> tuple[ImportRun, ImportRun, ImportRun]:
    return (
        run_import(council, Kind.CHILDREN, children_file()),
        run_import(council, Kind.CASES, cases_file(council.staff.user.username)),
        run_import(council, Kind.EVENTS, events_file()),
    )


def database() -> tuple:
    """Everything an import can write, to compare before and after."""
    return (
        list(Child.objects.order_by("pk").values_list()),
        list(Case.objects.order_by("pk").values_list()),
        list(JourneyEvent.objects.order_by("pk").values_list()),
        Child.history.count(),
        Case.history.count(),
    )


def test_children_cases_and_events_are_imported():
    council = make_council()
    children, cases, events = import_all(council)
    assert [r.status for r in (children, cases, events)] == [Status.APPLIED] * 3
    assert (children.created_count, cases.created_count, events.created_count) == (3, 3, 6)
    ada = Child.objects.get(reference="C1")
    assert (ada.given_name, ada.date_of_birth, ada.ethnicity, ada.legal_status) == (
        "Ada",
        datetime.date(2015, 12, 10),
        "WBRI",
        "C2",
    )
    k1 = Case.objects.get(source_ref="K1")
    assert (k1.child, k1.team, k1.service) == (ada, council.team, council.team.service)
    assert (k1.status, k1.allocated_worker) == ("open", council.staff)
    k2 = Case.objects.get(source_ref="K2")
    assert (k2.status, k2.closed_on, k2.team) == (
        "closed",
        datetime.date(2023, 8, 1),
        council.other_team,
    )
    event = JourneyEvent.objects.get(source_ref="E0001")
    assert (event.case.source_ref, event.kind, event.seen, event.seen_alone) == (
        "K2",
        "visit",
        True,
        True,
    )
    assert events.rows_total == events.rows_done == 6
    # The cases' stored visit dates follow the imported visits (looked after: 42 days;
    # a closed case has none due).
    visits = {
        c.source_ref: (c.last_visit_on, c.next_visit_due_on)
        for c in Case.objects.filter(organisation_id=council.organisation_id)
    }
    assert visits == {
        "K1": (datetime.date(2023, 3, 4), datetime.date(2023, 4, 15)),
        "K2": (datetime.date(2023, 3, 5), None),
        "K3": (datetime.date(2023, 3, 6), datetime.date(2023, 4, 17)),
    }


def test_re_importing_the_same_files_changes_nothing():
    council = make_council()
    import_all(council)
    before = database()
    again = import_all(council)
    assert [r.status for r in again] == [Status.UNCHANGED] * 3
    assert [r.unchanged_count for r in again] == [3, 3, 6]
    assert [r.created_count + r.updated_count for r in again] == [0, 0, 0]
    assert database() == before


def test_a_changed_row_updates_that_record_only():
    council = make_council()
    import_all(council)
    content = children_file().replace(
        b"C3,Alan,Turing,2014-06-23,male,,V2", b"C3,Alan,Turing,2014-06-23,male,WBRI,C2"
    )
    run = run_import(council, Kind.CHILDREN, content)
    assert (run.status, run.created_count, run.updated_count, run.unchanged_count) == (
        Status.APPLIED,
        0,
        1,
        2,
    )
    alan = Child.objects.get(reference="C3")
    assert (alan.ethnicity, alan.legal_status) == ("WBRI", "C2")
    latest = alan.history.latest()
    assert latest.history_user == council.staff.user
    assert latest.history_change_reason.startswith("Imported from file.csv")


def test_a_column_left_out_keeps_what_the_portal_holds():
    council = make_council()
    import_all(council)
    content = csv_bytes("child_id,given_name,family_name", "C1,Ada,King")
    run = run_import(council, Kind.CHILDREN, content)
    assert run.updated_count == 1
    ada = Child.objects.get(reference="C1")
    assert (ada.family_name, ada.ethnicity, ada.legal_status) == ("King", "WBRI", "C2")
    cases = csv_bytes(
        "case_id,child_id,team,opened_on,journey_stage",
        "K1,C1,Looked after 1,2023-01-05,looked_after",
    )
    run = run_import(council, Kind.CASES, cases)
    assert run.status == Status.UNCHANGED
    assert Case.objects.get(source_ref="K1").allocated_worker == council.staff


def test_imports_go_to_the_uploaders_organisation_only():
    council = make_council()
    elsewhere = OrganisationFactory()
    theirs = ChildFactory(organisation=elsewhere, reference="C1", given_name="Other")
    run = run_import(council, Kind.CHILDREN, children_file())
    assert run.created_count == 3
    assert set(
        Child.objects.filter(reference__in=["C1", "C2", "C3"]).values_list(
            "organisation_id", flat=True
        )
    ) == {council.organisation_id, elsewhere.pk}
    theirs.refresh_from_db()
    assert theirs.given_name == "Other"
    assert Child.objects.filter(organisation=elsewhere).count() == 1


@pytest.mark.parametrize("content", [children_file(), csv_bytes(CHILDREN, "C1,Ada,,,,,")])
def test_a_finished_run_keeps_no_copy_of_the_upload(content, settings, tmp_path):
    """The file holds children's details: once the run has imported it or refused it,
    only its name and fingerprint are kept."""
    settings.MEDIA_ROOT = tmp_path
    council = make_council()

    run = run_import(council, Kind.CHILDREN, content, "children.csv")

    assert run.status in (Status.APPLIED, Status.FAILED)
    assert (run.file.name, run.file_name, len(run.sha256)) == ("", "children.csv", 64)
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


def test_an_upload_waiting_to_run_is_kept_until_it_has(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    council = make_council()
    run = runs.import_run_create(
        uploaded_by=council.staff, kind=Kind.CHILDREN, upload=upload(children_file()), team=None
    )
    assert run.file.storage.exists(run.file.name)

    import_run_process(run_pk=run.pk)

    assert not run.file.storage.exists(run.file.name)


def test_a_fault_part_way_through_writing_leaves_the_database_as_it_was(monkeypatch):
    council = make_council()
    run_import(council, Kind.CHILDREN, children_file())
    run_import(council, Kind.CASES, cases_file())
    before = database()
    monkeypatch.setattr(writing, "BATCH", 10)
    real_write_batch = writing.write_batch
    written = []

    def write_then_fail(model, batch, write):
        if written:
            raise RuntimeError("injected fault after the first batch")
        real_write_batch(model, batch, write)
        # The first batch really is in the database, inside the import's transaction.
        written.append(JourneyEvent.objects.count())

    monkeypatch.setattr(writing, "write_batch", write_then_fail)
    run = run_import(council, Kind.EVENTS, events_file(50))
    assert written == [10]
    assert run.status == Status.FAILED
    assert "nothing was imported" in run.message
    assert run.finished_at is not None
    assert database() == before


def test_a_fault_while_writing_the_return_writes_no_child_case_or_event(monkeypatch):
    council = make_council()
    before = database()
    monkeypatch.setattr(writing, "HISTORY_BATCH", 5)
    calls = []
    real_write_batch = writing.write_batch

    def fail_on_the_cases(model, batch, write):
        calls.append(model.__name__)
        if model is Case:
            raise RuntimeError("injected fault")
        real_write_batch(model, batch, write)

    monkeypatch.setattr(writing, "write_batch", fail_on_the_cases)
    header, episodes = ssda903_files()
    run = run_import(council, Kind.SSDA903, header, "header.csv", episodes=episodes)
    assert calls[:4] == ["Child", "Child", "Child", "Child"]
    assert run.status == Status.FAILED
    assert database() == before


def test_the_task_runs_the_upload_once_its_transaction_commits(django_capture_on_commit_callbacks):
    from performance.services.imports import import_run_create

    council = make_council()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = import_run_create(
            uploaded_by=council.staff, kind=Kind.CHILDREN, upload=upload(children_file())
        )
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == Status.APPLIED
    assert Child.objects.filter(organisation_id=council.organisation_id).count() == 3


def test_a_finished_run_is_left_alone():
    run = ImportRunFactory()
    assert import_run_process(run_pk=run.pk) == {"skipped": "not waiting to be imported"}


def test_a_run_caught_part_way_starts_again():
    """Its worker was lost while saving: the task's retry checks and saves it afresh."""
    council = make_council()
    run = runs.import_run_create(
        uploaded_by=council.staff, kind=Kind.CHILDREN, upload=upload(children_file()), team=None
    )
    ImportRun.objects.filter(pk=run.pk).update(status=Status.APPLYING, rows_done=2)
    import_run_process(run_pk=run.pk)
    run.refresh_from_db()
    assert run.status == Status.APPLIED
    assert Child.objects.count() == 3


def test_a_run_waits_while_another_import_of_its_organisation_runs():
    council = make_council()
    run = ImportRunFactory(
        organisation_id=council.organisation_id,
        uploaded_by=council.staff,
        status=Status.QUEUED,
    )
    with job_lock(lock_name(council.organisation_id)):
        with pytest.raises(JobAlreadyRunning):
            import_run_process(run_pk=run.pk)
        # The task asks Celery to try again later...
        with pytest.raises(Retry):
            import_run_process_task.apply(args=[run.pk]).get()
        run.refresh_from_db()
        assert run.status == Status.QUEUED
        # ...and gives up, saying so, once it has waited long enough.
        result = import_run_process_task.apply(args=[run.pk], retries=IMPORT_MAX_RETRIES).get()
    run.refresh_from_db()
    assert result == {"failed": run.pk}
    assert run.status == Status.FAILED
    assert "Another import for your organisation" in run.message


# Committed rows, so that PostgreSQL's second connection can update the run as it would
# in the Celery worker.
@pytest.mark.django_db(transaction=True)
def test_progress_is_readable_while_the_changes_are_saved(monkeypatch):
    council = make_council()
    run_import(council, Kind.CHILDREN, children_file())
    run_import(council, Kind.CASES, cases_file())
    monkeypatch.setattr(writing, "BATCH", 10)
    monkeypatch.setattr(progress, "EVERY", 5)
    seen = []
    real_write_batch = writing.write_batch

    def write_and_look(model, batch, write):
        real_write_batch(model, batch, write)
        run = ImportRun.objects.latest("pk")
        seen.append((run.status, selectors.import_progress(run=run)["done"]))

    monkeypatch.setattr(writing, "write_batch", write_and_look)
    run = run_import(council, Kind.EVENTS, events_file(40))
    assert run.status == Status.APPLIED, problems_of(run)
    assert [status for status, _ in seen] == [Status.APPLYING] * 4
    done = [count for _, count in seen]
    assert done[0] < done[-1] <= 40
    assert done == sorted(done)


@pytest.mark.django_db(transaction=True)
def test_progress_is_readable_while_the_file_is_checked(monkeypatch):
    council = make_council()
    run_import(council, Kind.CHILDREN, children_file())
    run_import(council, Kind.CASES, cases_file())
    monkeypatch.setattr(progress, "EVERY", 2)
    seen = []
    real_ticker = runs._ticker

    def looking_ticker(reporter, offset):
        tick = real_ticker(reporter, offset)

        def tick_and_look(done):
            tick(done)
            run = ImportRun.objects.latest("pk")
            seen.append((run.status, run.rows_total, run.rows_done))

        return tick_and_look

    monkeypatch.setattr(runs, "_ticker", looking_ticker)
    run = run_import(council, Kind.EVENTS, events_file(10))
    assert run.status == Status.APPLIED
    assert seen[0] == (Status.VALIDATING, 10, 0)
    assert seen[-1] == (Status.VALIDATING, 10, 10)
    assert [done for _, _, done in seen] == [0, 2, 2, 4, 4, 6, 6, 8, 8, 10]
