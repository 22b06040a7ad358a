"""What is wrong with a file, said clearly: encodings, headings, IDs, dates, codes and
references. A file with any problem writes nothing."""

from __future__ import annotations

import datetime
import tracemalloc
import zipfile
from io import BytesIO

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases.models import Case, Child, JourneyEvent
from performance.models import ImportRun
from performance.services.imports import reading
from performance.services.imports.checking import MAX_PROBLEMS
from tests.factories import (
    CaseFactory,
    ChildFactory,
    OrganisationFactory,
    StaffMemberFactory,
    TeamFactory,
)
from tests.performance.importing import (
    csv_bytes,
    make_council,
    messages_of,
    problems_of,
    run_import,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

Kind = ImportRun.Kind
CHILDREN = "child_id,given_name,family_name,date_of_birth,gender,ethnicity,legal_status"
CASES = "case_id,child_id,team,opened_on,closed_on,journey_stage"
EVENTS = "event_id,case_id,kind,occurred_on,recorded_on,seen,seen_alone,placement_type,outcome"


@pytest.fixture
def council():
    return make_council()


def refused(run: ImportRun) -> dict[tuple[int | None, str], str]:
    assert run.status == ImportRun.Status.FAILED, run.status
    assert Child.objects.count() == Case.objects.count() == 0 or run.kind != Kind.CHILDREN
    return {(row, column): message for row, column, _, message in problems_of(run)}


# The file as a whole.


def test_a_file_that_is_not_utf8_is_refused_at_its_line(council):
    content = csv_bytes(CHILDREN, "C1,Ada,Lovelace,,,,", "C2,Zoë,Brontë,,,,", encoding="cp1252")
    run = run_import(council, Kind.CHILDREN, content)
    problems = problems_of(run)
    assert run.status == ImportRun.Status.FAILED
    assert len(problems) == 1
    row, _, _, message = problems[0]
    assert row == 3
    assert message.startswith("The file is not UTF-8 text: line 3")
    assert "CSV UTF-8" in message
    assert Child.objects.count() == 0


def test_utf8_with_a_byte_order_mark_is_read(council):
    content = b"\xef\xbb\xbf" + csv_bytes(CHILDREN, "C1,Zoë,Brontë,,,,")
    run = run_import(council, Kind.CHILDREN, content)
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert Child.objects.get().given_name == "Zoë"


def test_utf16_text_is_refused(council):
    run = run_import(council, Kind.CHILDREN, "child_id\r\nC1\r\n".encode("utf-16"))
    assert "saved as UTF-16" in messages_of(run)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"\r\n\r\n", "The file is empty: the first row must hold the column headings"),
        (csv_bytes(CHILDREN), "The file has its column headings but no rows"),
    ],
)
def test_an_empty_file_is_refused(council, content, message):
    run = run_import(council, Kind.CHILDREN, content)
    assert run.status == ImportRun.Status.FAILED
    assert messages_of(run).startswith(message)


def test_missing_and_unexpected_headings_are_named(council):
    content = csv_bytes("child_id,given_name,surname,dob", "C1,Ada,Lovelace,1815-12-10")
    problems = refused(run_import(council, Kind.CHILDREN, content))
    assert problems[(1, "family_name")].startswith("The column family_name is missing")
    assert problems[(1, "surname")].startswith("The column surname is not one we expect")
    assert problems[(1, "dob")].startswith("The column dob is not one we expect")
    assert "child_id, given_name, family_name, date_of_birth" in problems[(1, "dob")]


def test_headings_match_without_regard_to_case_or_spaces(council):
    content = csv_bytes(" Child_ID , GIVEN_NAME,family_name", "C1,Ada,Lovelace")
    assert run_import(council, Kind.CHILDREN, content).status == ImportRun.Status.APPLIED


def test_a_column_twice_is_refused(council):
    content = csv_bytes("child_id,given_name,family_name,given_name", "C1,Ada,Lovelace,Ada")
    problems = refused(run_import(council, Kind.CHILDREN, content))
    assert problems[(1, "given_name")] == "The column given_name appears more than once"


def test_a_semicolon_separated_file_is_explained(council):
    content = csv_bytes("child_id;given_name;family_name", "C1;Ada;Lovelace")
    assert "not separated by commas" in messages_of(run_import(council, Kind.CHILDREN, content))


def test_the_wrong_kind_of_file_is_recognised(council):
    content = csv_bytes(EVENTS, "E1,K1,visit,2024-01-01,2024-01-01,yes,no,,")
    messages = messages_of(run_import(council, Kind.CHILDREN, content))
    assert "These are the headings of a journey events file" in messages


def test_a_nul_character_is_refused(council):
    content = csv_bytes(CHILDREN, "C1,Ada\x00,Lovelace,,,,")
    problems = refused(run_import(council, Kind.CHILDREN, content))
    assert problems == {(2, "given_name"): "Remove the hidden NUL character from this cell"}


# Excel.


def test_an_excel_workbook_is_read_with_its_dates_and_numbers(council):
    content = xlsx_bytes(
        [
            ["child_id", "given_name", "family_name", "date_of_birth", "gender"],
            [123456, "Ada", "Lovelace", datetime.date(2015, 12, 10), "Female"],
            [None, None, None, None, None],
            ["C2", "Grace", "Hopper", "09/12/2016", None],
        ]
    )
    run = run_import(council, Kind.CHILDREN, content, "children.xlsx")
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    ada = Child.objects.get(reference="123456")
    assert (ada.date_of_birth, ada.gender) == (datetime.date(2015, 12, 10), "female")
    assert Child.objects.get(reference="C2").date_of_birth == datetime.date(2016, 12, 9)


def test_excel_problems_give_the_spreadsheet_row(council):
    content = xlsx_bytes(
        [
            ["child_id", "given_name", "family_name", "ethnicity"],
            ["C1", "Ada", "Lovelace", "WBRI"],
            ["C2", "Grace", "Hopper", "NOPE"],
        ]
    )
    problems = refused(run_import(council, Kind.CHILDREN, content, "children.xlsx"))
    assert (3, "ethnicity") in problems


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (csv_bytes(CHILDREN), "children.xlsx", "is called .xlsx but is not a real Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "Excel 97-2003"),
        (None, "children.xlsx", "not a real Excel workbook (.xlsx), or it is damaged"),
    ],
)
def test_files_that_are_not_real_workbooks_are_refused(council, content, name, message):
    if content is None:  # a zip file, but not a workbook
        buffer = BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        content = buffer.getvalue()
    run = run_import(council, Kind.CHILDREN, content, name)
    assert run.status == ImportRun.Status.FAILED
    assert message in messages_of(run)


def test_a_workbook_that_unzips_to_far_more_than_it_weighs_is_refused_unread(council):
    """One cell of 40 MB of the same letter zips to a few kilobytes: a zip bomb in small."""
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(xlsx_bytes([["child_id"], ["C1"]]))) as source:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
            for entry in source.infolist():
                data = source.read(entry)
                if entry.filename == "xl/worksheets/sheet1.xml":
                    data = data.replace(b"C1", b"A" * (40 * 1024 * 1024))
                bomb.writestr(entry, data, zipfile.ZIP_DEFLATED)
    content = buffer.getvalue()
    assert len(content) < 200 * 1024
    tracemalloc.start()
    run = run_import(council, Kind.CHILDREN, content, "children.xlsx")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert run.status == ImportRun.Status.FAILED
    assert "far more than a real spreadsheet" in messages_of(run)
    assert "xl/worksheets/sheet1.xml" in messages_of(run)
    assert peak < 20 * 1024 * 1024  # the 40 MB cell was never read
    assert not Child.objects.filter(organisation_id=council.organisation_id).exists()


def test_a_workbook_larger_unzipped_than_the_limit_is_refused(council, monkeypatch):
    monkeypatch.setattr(reading, "XLSX_MAX_UNZIPPED_BYTES", 2 * 1024)
    content = xlsx_bytes([["child_id", "given_name"], *[[f"C{i}", "Ada"] for i in range(200)]])
    run = run_import(council, Kind.CHILDREN, content, "children.xlsx")
    assert run.status == ImportRun.Status.FAILED
    assert "unzips to more than" in messages_of(run)


# Rows.


def test_ids_repeated_in_the_file_are_refused(council):
    content = csv_bytes(CHILDREN, "C1,Ada,Lovelace,,,,", "C2,Grace,Hopper,,,,", "C1,Ada,L,,,,")
    problems = refused(run_import(council, Kind.CHILDREN, content))
    assert problems == {
        (4, "child_id"): "The child ID C1 is also on row 2: each must be on one row only"
    }


def test_dates_in_the_future_or_not_real_are_refused(council):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    content = csv_bytes(
        CHILDREN,
        "C1,Ada,Lovelace,31/02/2015,,,",
        f"C2,Grace,Hopper,{tomorrow},,,",
        "C3,Mary,Somerville,2015-13-01,,,",
        "C4,Emmy,Noether,1/1/15,,,",
        "C5,Sophie,Germain,10/12/1815,,,",
    )
    problems = refused(run_import(council, Kind.CHILDREN, content))
    assert problems[(2, "date_of_birth")].startswith("Enter a real date, like 31/03/2024")
    assert problems[(3, "date_of_birth")].startswith("The date is in the future")
    assert problems[(4, "date_of_birth")].startswith("Enter a real date")
    assert problems[(5, "date_of_birth")].startswith("Enter a real date")
    assert problems[(6, "date_of_birth")] == "Enter a date after 1 January 1900"


def test_unknown_codes_are_refused(council):
    content = csv_bytes(
        CHILDREN, "C1,Ada,Lovelace,,girl,WXYZ,Z9", "C2,Grace,Hopper,,female,wbri,c2"
    )
    run = run_import(council, Kind.CHILDREN, content)
    problems = refused(run)
    assert set(problems) == {(2, "gender"), (2, "ethnicity"), (2, "legal_status")}
    assert problems[(2, "ethnicity")].startswith("This is not a known ethnicity code")
    values = {column: value for _, column, value, _ in problems_of(run)}
    assert values == {"gender": "girl", "ethnicity": "WXYZ", "legal_status": "Z9"}


def test_required_cells_must_be_filled_in(council):
    problems = refused(run_import(council, Kind.CHILDREN, csv_bytes(CHILDREN, "C1,,Lovelace,,,,")))
    assert problems == {(2, "given_name"): "Enter the given name"}


def test_cases_refer_to_children_teams_and_staff_of_the_organisation(council):
    elsewhere = OrganisationFactory()
    ChildFactory(organisation=elsewhere, reference="C9")
    ChildFactory(organisation_id=council.organisation_id, reference="C1")
    content = csv_bytes(
        CASES + ",worker",
        "K1,C9,Looked after 1,2024-01-01,,looked_after,",
        "K2,C1,Nowhere team,2024-01-01,,looked_after,",
        "K3,C1,looked after 1,2024-01-01,2023-12-31,looked_after,nobody",
        "K4,C1,Looked after 1,2024-01-01,,flying,",
    )
    problems = refused(run_import(council, Kind.CASES, content))
    assert problems[(2, "child_id")].startswith("There is no child with ID C9")
    assert problems[(3, "team")].startswith("This is not a team of your organisation")
    assert "Looked after 1" in problems[(3, "team")]
    assert problems[(4, "closed_on")].startswith("The case closes before it opens")
    assert problems[(4, "worker")].startswith("There is no member of your organisation's staff")
    assert problems[(5, "journey_stage")].startswith("This is not a known journey stage code")
    assert Case.objects.count() == 0


def _worker(council, *, first: str, last: str, username: str, organisation=None):
    return StaffMemberFactory(
        user__first_name=first,
        user__last_name=last,
        user__username=username,
        team=council.team
        if organisation is None
        else TeamFactory(service__organisation=organisation),
    )


def _cases_with_workers(*workers: str) -> bytes:
    rows = [f"K{n},C1,Looked after 1,2024-01-01,,looked_after,{w}" for n, w in enumerate(workers)]
    return csv_bytes(CASES + ",worker", *rows)


def test_the_worker_is_found_by_their_name_as_the_portal_shows_it(council):
    priya = _worker(council, first="Priya", last="Shah", username="pshah2")
    ChildFactory(organisation_id=council.organisation_id, reference="C1")
    run = run_import(council, Kind.CASES, _cases_with_workers("Priya Shah", "  priya   SHAH "))
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert set(Case.objects.values_list("allocated_worker", flat=True)) == {priya.pk}


def test_the_worker_is_found_by_the_staff_reference_the_guide_lists(council):
    priya = _worker(council, first="Priya", last="Shah", username="pshah2")
    ChildFactory(organisation_id=council.organisation_id, reference="C1")
    run = run_import(council, Kind.CASES, _cases_with_workers("PSHAH2"))
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert Case.objects.get().allocated_worker == priya


def test_a_name_two_staff_share_asks_for_the_staff_reference(council):
    _worker(council, first="Sam", last="Smith", username="ssmith1")
    other = _worker(council, first="Sam", last="Smith", username="ssmith2")
    ChildFactory(organisation_id=council.organisation_id, reference="C1")
    problems = refused(run_import(council, Kind.CASES, _cases_with_workers("Sam Smith", "ssmith2")))
    assert set(problems) == {(2, "worker")}
    assert problems[(2, "worker")].startswith(
        "2 members of your organisation's staff are called Sam Smith. Use the staff reference"
    )
    assert other.user.username == "ssmith2"


def test_a_worker_of_another_organisation_is_not_found_by_name_or_reference(council):
    _worker(council, first="Olu", last="Ade", username="oade", organisation=OrganisationFactory())
    ChildFactory(organisation_id=council.organisation_id, reference="C1")
    problems = refused(run_import(council, Kind.CASES, _cases_with_workers("Olu Ade", "oade")))
    assert set(problems) == {(2, "worker"), (3, "worker")}
    assert "name or staff reference" in problems[(2, "worker")]


def test_events_refer_to_imported_cases_and_are_recorded_after_they_happen(council):
    case = CaseFactory(team=council.team, source_ref="K1")
    CaseFactory(team=council.team)  # a case with no source_ref cannot be referred to
    content = csv_bytes(
        EVENTS,
        "E1,K9,visit,2024-01-02,2024-01-02,yes,yes,,",
        "E2,K1,visit,2024-01-02,2024-01-01,yes,yes,,",
        "E3,K1,teleport,2024-01-02,2024-01-02,,,,",
        "E4,K1,visit,2024-01-02,2024-01-02,no,yes,,",
        "E5,K1,placement_started,2024-01-02,2024-01-02,,,boat,",
        "E6,K1,visit,2024-01-02,2024-01-03,maybe,,,",
    )
    problems = refused(run_import(council, Kind.EVENTS, content))
    assert problems[(2, "case_id")].startswith("There is no imported case with ID K9")
    assert problems[(3, "recorded_on")].startswith("The event is recorded before it happened")
    assert problems[(4, "kind")].startswith("This is not a known event kind code")
    assert problems[(5, "seen_alone")].startswith("The child cannot be seen alone")
    assert problems[(6, "placement_type")].startswith("This is not a known placement type")
    assert problems[(7, "seen")].startswith("Enter yes or no")
    assert not JourneyEvent.objects.filter(case=case).exists()


def test_checking_stops_after_the_most_problems_a_report_holds(council):
    rows = [f"C{n},Ada,Lovelace,not a date,,," for n in range(MAX_PROBLEMS + 50)]
    run = run_import(council, Kind.CHILDREN, csv_bytes(CHILDREN, *rows))
    assert run.problem_count == MAX_PROBLEMS + 1
    assert (
        run.problems.order_by("pk")
        .last()
        .message.startswith(f"Checking stopped after {MAX_PROBLEMS:,} problems")
    )


# Whatever is uploaded, the run ends with a status and never an unhandled error.


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda text: (CHILDREN + "\r\n" + text).encode()),
        st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=9), max_size=6).map(
            lambda rows: "\r\n".join([CHILDREN, *(",".join(r) for r in rows)]).encode()
        ),
    ),
    name=st.sampled_from(["children.csv", "children.xlsx"]),
)
def test_any_upload_ends_with_a_status_and_no_error(council, content, name):
    run = run_import(council, Kind.CHILDREN, content, name)
    assert run.status in (
        ImportRun.Status.APPLIED,
        ImportRun.Status.UNCHANGED,
        ImportRun.Status.FAILED,
    )
    if run.status == ImportRun.Status.FAILED:
        assert run.problem_count, run.message
