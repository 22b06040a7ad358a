"""Case-data import end to end, with the keyboard alone and axe on every page.

business.support opens the imports from the Performance pages and reads their guide,
uploads a children file with mistakes in it, reads the problems on the run page and in
the downloaded report, fixes the file and uploads it again, and sees it imported. They
import the children's cases too. One child came without an ethnicity: the night's
data-quality check raises an issue on their case, which business support finds on the
child's record and chases to resolved. A second test watches the progress bar of an
import that is still running.

Only page.keyboard moves and acts (Tab, Shift+Tab, Enter, Space, arrows, typing);
login() signs in through the form and Playwright's set_input_files chooses the file, as
a person would in the browser's file picker.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Case, Child
from performance.models import DataQualityIssue, ImportRun
from performance.services.quality import data_quality_run
from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.data_quality_steps import chase, note, resolve
from tests.browser.demo import Demo
from tests.browser.keyboard import (
    button,
    choose_radio,
    field,
    focused,
    heading,
    link,
    press_enter_on,
    tab_to,
)
from tests.factories import ImportRunFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

HEADINGS = "child_id,given_name,family_name,date_of_birth,gender,ethnicity,legal_status"
WITH_MISTAKES = (
    f"{HEADINGS}\r\n"
    "KF90001,Ada,Lovelace,31/02/2015,female,WBRI,C2\r\n"
    "KF90002,Grace,,2016-01-09,female,WXYZ,\r\n"
    "KF90001,Alan,Turing,2014-06-23,male,,V2\r\n"
)
FIXED = (
    f"{HEADINGS}\r\n"
    "KF90001,Ada,Lovelace,28/02/2015,female,WBRI,C2\r\n"
    "KF90002,Grace,Hopper,2016-01-09,female,BCRB,\r\n"
    "KF90003,Alan,Turing,2014-06-23,male,,V2\r\n"
)


CASES = (
    "case_id,child_id,team,opened_on,closed_on,journey_stage,worker\r\n"
    "KF-C1,KF90001,Kestrelford looked after 1,2026-01-05,,looked_after,practitioner\r\n"
    "KF-C2,KF90002,Kestrelford looked after 1,2026-02-10,,looked_after,practitioner\r\n"
    "KF-C3,KF90003,Kestrelford looked after 1,2026-03-16,,looked_after,practitioner\r\n"
)


def _choose_kind_and_file(page: Page, kind: str, content: str, name: str) -> None:
    # The first radio of the group is "Children".
    expect(page.locator("input[name=kind]").first).to_have_value("children")
    choose_radio(page, "kind", kind)
    expect(page.locator(f"input[name=kind][value={kind}]")).to_be_checked()
    tab_to(page, lambda f: f["id"] == "id_file")
    page.set_input_files(
        "#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}]
    )


def _open_imports(page: Page, axe) -> None:
    press_enter_on(page, link("Performance"))
    press_enter_on(page, link("Imports"))
    heading(page).to_have_text("Case-data imports")
    assert_accessible(page, axe)
    press_enter_on(page, link("Guide to the files"))
    heading(page).to_have_text("Guide to the import files")
    expect(page.locator("#ssda903")).to_have_text("How the SSDA903 return is imported")
    assert_accessible(page, axe)
    press_enter_on(page, link("Back to imports"))
    heading(page).to_have_text("Case-data imports")


def _upload_with_mistakes(page: Page, axe) -> ImportRun:
    _choose_kind_and_file(page, "children", WITH_MISTAKES, "children-with-mistakes.csv")
    press_enter_on(page, button("Upload and check"))
    run = ImportRun.objects.get(file_name="children-with-mistakes.csv")
    assert path_of(page) == run.get_absolute_url()
    heading(page).to_have_text("children-with-mistakes.csv")
    expect(page.locator("#result")).to_have_text("Not imported: 4 problems to put right")
    table = page.locator("table").filter(has_text="What is wrong")
    expect(table).to_contain_text("Enter a real date, like 31/03/2024 or 2024-03-31")
    expect(table).to_contain_text("Enter the family name")
    expect(table).to_contain_text("This is not a known ethnicity code")
    expect(table).to_contain_text("The child ID KF90001 is also on row 2")
    assert_accessible(page, axe)
    assert not Child.objects.filter(reference__startswith="KF9").exists()
    return run


def _download_report(page: Page) -> None:
    tab_to(page, link("Download the report"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    report = download.value
    assert report.suggested_filename.endswith("-problems.csv")
    text = open(report.path(), encoding="utf-8-sig").read()
    assert text.splitlines()[0] == "file,row,column,value,what is wrong"
    assert 'children-with-mistakes.csv,2,date_of_birth,31/02/2015,"Enter a real date' in text
    assert 'children-with-mistakes.csv,3,ethnicity,WXYZ,"This is not a known ethnicity' in text


def _upload_fixed(page: Page, axe) -> None:
    press_enter_on(page, link("Upload another file"))
    heading(page).to_have_text("Case-data imports")
    _choose_kind_and_file(page, "children", FIXED, "children.csv")
    press_enter_on(page, button("Upload and check"))
    run = ImportRun.objects.get(file_name="children.csv")
    assert path_of(page) == run.get_absolute_url()
    expect(page.locator("#result")).to_have_text("Imported")
    expect(page.locator("main")).to_contain_text("3 records created, 0 updated")
    assert_accessible(page, axe)
    assert Child.objects.filter(reference__startswith="KF9").count() == 3


def _upload_cases(page: Page, axe) -> None:
    press_enter_on(page, link("Upload another file"))
    _choose_kind_and_file(page, "cases", CASES, "cases.csv")
    press_enter_on(page, button("Upload and check"))
    expect(page.locator("#result")).to_have_text("Imported")
    expect(page.locator("main")).to_contain_text("3 records created, 0 updated")
    assert_accessible(page, axe)
    assert Case.objects.filter(child__reference__startswith="KF9").count() == 3


def _find_the_issue_on_the_record(page: Page, axe, issue: DataQualityIssue) -> None:
    """From the case list, search for the child, open their record and, from its
    data-quality panel, the issue."""
    press_enter_on(page, link("Cases"))
    tab_to(page, field("id_q"))
    page.keyboard.type("KF90003")
    page.keyboard.press("Enter")
    expect(page.locator("#case-count")).to_contain_text("1 case")
    press_enter_on(page, link("Alan Turing"))
    heading(page).to_have_text("Alan Turing")
    panel = page.locator("#data-quality")
    expect(panel).to_have_text("Data quality")
    assert_accessible(page, axe)
    press_enter_on(page, link("Child's ethnicity not recorded"))
    assert path_of(page) == issue.get_absolute_url()
    assert_accessible(page, axe)


def _running_import(demo: Demo) -> ImportRun:
    return ImportRunFactory(
        organisation=demo.council,
        uploaded_by=demo.people["business.support"],
        file_name="events-running.csv",
        kind=ImportRun.Kind.EVENTS,
        status=ImportRun.Status.VALIDATING,
        rows_total=200_000,
        rows_done=50_000,
    )


def _progress(page: Page, axe, running: ImportRun) -> None:
    press_enter_on(page, link("events-running.csv"))
    assert path_of(page) == running.get_absolute_url()
    bar = page.locator("progress#import-progress-bar")
    expect(bar).to_have_attribute("value", "50000")
    expect(page.get_by_label("Rows checked")).to_be_visible()
    expect(page.locator("#import-progress")).to_contain_text("50,000 of 200,000 rows (25%)")
    assert_accessible(page, axe)
    # The bar follows the import without a reload, and the page shows the result at the end.
    ImportRun.objects.filter(pk=running.pk).update(rows_done=150_000)
    expect(page.locator("#import-progress")).to_contain_text("150,000 of 200,000 rows (75%)")
    ImportRun.objects.filter(pk=running.pk).update(status=ImportRun.Status.UNCHANGED)
    expect(page.locator("#result")).to_have_text("No changes")
    assert focused(page)["tag"] in ("body", "a")


def test_business_support_fix_a_file_import_it_and_chase_what_it_left_out(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
):
    login(page, live_server, "business.support")
    _open_imports(page, axe)
    _upload_with_mistakes(page, axe)
    _download_report(page)
    _upload_fixed(page, axe)
    _upload_cases(page, axe)

    # The night's data-quality check (the Celery beat task runs this).
    data_quality_run(day=timezone.localdate())
    issue = DataQualityIssue.objects.get(
        rule__slug="child-missing-ethnicity", case__child__reference="KF90003"
    )
    worker = demo_people.people["practitioner"]
    assert issue.assigned_to == worker

    _find_the_issue_on_the_record(page, axe, issue)
    chase(page, axe, issue, worker.display_name)
    note(page, axe)
    resolve(page, axe)
    issue.refresh_from_db()
    assert issue.status == DataQualityIssue.Status.RESOLVED
    assert list(issue.notes.values_list("kind", flat=True)) == ["chase", "note", "resolved"]


def test_an_import_in_progress_shows_its_progress(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
):
    running = _running_import(demo_people)
    login(page, live_server, "business.support")
    press_enter_on(page, link("Performance"))
    press_enter_on(page, link("Imports"))
    _progress(page, axe, running)
