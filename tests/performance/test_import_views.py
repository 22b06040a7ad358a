"""The import pages: who may see and upload, the upload form's errors, the run page's
progress and result, the report and template downloads and the guide."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from cases.models import Child
from performance import forms_imports
from performance.models import ImportRun
from performance.services.imports.layouts import all_layouts
from performance.tasks import import_run_process_task
from tests.factories import ImportProblemFactory, ImportRunFactory, StaffMemberFactory
from tests.performance.importing import csv_bytes, make_council, ssda903_files, upload

pytestmark = pytest.mark.django_db

LIST = reverse("performance:import_list")
CHILDREN = csv_bytes("child_id,given_name,family_name", "C1,Ada,Lovelace")


def post(client, **data):
    return client.post(LIST, data)


def test_business_support_see_the_upload_form(client):
    council = make_council()
    client.force_login(council.staff.user)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert "Upload and check" in body
    tab = 'href="/performance/imports/" aria-current="page">Imports</a>'
    assert tab in body


def test_qa_read_the_runs_but_do_not_upload(client):
    council = make_council()
    run = ImportRunFactory(organisation_id=council.organisation_id, uploaded_by=council.staff)
    qa = StaffMemberFactory(
        organisation=council.staff.organisation, team=None, service=None, qa=True
    )
    client.force_login(qa.user)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Upload and check" not in response.content.decode()
    assert run.file_name in response.content.decode()
    assert client.post(LIST, {"kind": "children", "file": upload(CHILDREN)}).status_code == 403
    assert client.get(run.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("role", ["practitioner", "team_manager", "senior_leader", "regional_lead"])
def test_other_roles_are_refused(client, role):
    council = make_council()
    run = ImportRunFactory(organisation_id=council.organisation_id, uploaded_by=council.staff)
    traits = {role: True} if role != "practitioner" else {}
    if role in ("senior_leader", "regional_lead"):
        person = StaffMemberFactory(
            organisation=council.staff.organisation, team=None, service=None, **traits
        )
    else:
        person = StaffMemberFactory(team=council.team, **traits)
    client.force_login(person.user)
    assert client.get(LIST).status_code == 403
    assert client.get(run.get_absolute_url()).status_code == 403
    assert client.get(reverse("performance:import_report", args=[run.pk])).status_code == 403


def test_runs_of_another_organisation_are_not_found(client):
    ours, theirs = make_council("Ourshire"), make_council("Theirshire")
    run = ImportRunFactory(
        organisation_id=theirs.organisation_id, uploaded_by=theirs.staff, file_name="theirs.csv"
    )
    client.force_login(ours.staff.user)
    assert client.get(run.get_absolute_url()).status_code == 404
    assert client.get(reverse("performance:import_report", args=[run.pk])).status_code == 404
    assert run.file_name not in client.get(LIST).content.decode()


def test_an_upload_is_imported_and_shown(client, django_capture_on_commit_callbacks):
    council = make_council()
    client.force_login(council.staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"kind": "children", "file": upload(CHILDREN, "kids.csv")})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert (run.organisation_id, run.uploaded_by, run.file_name) == (
        council.organisation_id,
        council.staff,
        "kids.csv",
    )
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Imported" in page
    assert "1 record created" in page
    assert Child.objects.get().organisation_id == council.organisation_id


def test_the_return_is_uploaded_with_its_episodes_and_team(
    client, django_capture_on_commit_callbacks
):
    council = make_council()
    header, episodes = ssda903_files()
    client.force_login(council.staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            LIST,
            {
                "kind": "ssda903",
                "file": upload(header, "header.csv"),
                "episodes_file": upload(episodes, "episodes.csv"),
                "team": council.team.pk,
            },
        )
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.team, run.second_file_name) == ("applied", council.team, "episodes.csv")
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Journey events in the return, by kind" in page
    assert "Placement started" in page
    assert "C2: Full care order" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": "children"}, "file", "Select the file"),
        ({"file": "CHILDREN"}, "kind", "Select what you are importing"),
        ({"kind": "children", "file": ("kids.txt", CHILDREN)}, "file", "must be a CSV or Excel"),
        ({"kind": "children", "file": ("kids.csv", b"")}, "file", "The selected file is empty"),
        ({"kind": "ssda903", "file": "CHILDREN"}, "episodes_file", "Select the episodes file"),
        ({"kind": "ssda903", "file": "CHILDREN"}, "team", "Choose the team for new"),
        (
            {"kind": "children", "file": "CHILDREN", "episodes_file": "CHILDREN"},
            "episodes_file",
            "Only the SSDA903 return has an episodes file",
        ),
    ],
)
def test_the_upload_form_says_what_is_wrong(client, data, field, message):
    council = make_council()
    client.force_login(council.staff.user)
    for name in ("file", "episodes_file"):
        if data.get(name) == "CHILDREN":
            data[name] = upload(CHILDREN)
        elif isinstance(data.get(name), tuple):
            data[name] = upload(data[name][1], data[name][0])
    response = client.post(LIST, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert any(message in error for error in errors[field]), errors
    assert "There is a problem" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_a_team_of_another_organisation_cannot_be_chosen(client):
    ours, theirs = make_council("Ourshire"), make_council("Theirshire")
    header, episodes = ssda903_files()
    client.force_login(ours.staff.user)
    response = client.post(
        LIST,
        {
            "kind": "ssda903",
            "file": upload(header),
            "episodes_file": upload(episodes),
            "team": theirs.team.pk,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["team"] == ["Choose a team from the list"]


def test_the_run_page_shows_its_problems_a_page_at_a_time(client):
    council = make_council()
    run = ImportRunFactory(
        organisation_id=council.organisation_id,
        uploaded_by=council.staff,
        status=ImportRun.Status.FAILED,
        problem_count=60,
    )
    for row in range(2, 62):
        ImportProblemFactory(run=run, row=row, value=f"value-{row}")
    client.force_login(council.staff.user)
    first = client.get(run.get_absolute_url()).content.decode()
    assert "Not imported: 60 problems to put right" in first
    assert "value-2<" in first
    assert "value-52<" not in first
    assert "Download the report" in first
    second = client.get(run.get_absolute_url(), {"page": 2}).content.decode()
    assert "value-52<" in second


def test_the_report_downloads_as_csv(client):
    council = make_council()
    problem = ImportProblemFactory(
        run__organisation_id=council.organisation_id,
        run__uploaded_by=council.staff,
        value="=HYPERLINK(1)",
    )
    client.force_login(council.staff.user)
    response = client.get(reverse("performance:import_report", args=[problem.run_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["file", "row", "column", "value", "what is wrong"]
    assert rows[1] == ["children.csv", "2", "date_of_birth", "'=HYPERLINK(1)", problem.message]


def test_the_templates_hold_the_expected_columns(client):
    council = make_council()
    client.force_login(council.staff.user)
    for layout in all_layouts(timezone.localdate()):
        response = client.get(reverse(f"performance:import_template_{layout.key}"))
        assert response.status_code == 200
        assert response.content.decode().strip() == ",".join(layout.names)
        assert layout.template_name in response["Content-Disposition"]


def test_the_guide_lists_the_columns_and_codes(client):
    council = make_council()
    client.force_login(council.staff.user)
    page = client.get(reverse("performance:import_guide")).content.decode()
    for text in (
        "date_of_birth",
        "REASON_PLACE_CHANGE",
        "Foster placement with other foster",
        "E4A",
        "placement_started",
    ):
        assert text in page


def test_the_guide_lists_the_names_and_staff_references_the_worker_column_takes(client):
    council = make_council()
    worker = StaffMemberFactory(
        user__first_name="Priya", user__last_name="Shah", user__username="pshah2", team=council.team
    )
    elsewhere = StaffMemberFactory(user__username="elsewhere.worker")
    client.force_login(council.staff.user)
    response = client.get(reverse("performance:import_guide"))
    page = response.content.decode()
    assert {person.pk for person in response.context["staff"]} == {worker.pk, council.staff.pk}
    assert "Priya Shah" in page
    assert "<code>pshah2</code>" in page
    assert elsewhere.user.username not in page


def test_a_running_import_shows_a_progress_bar_that_polls(client):
    council = make_council()
    run = ImportRunFactory(
        organisation_id=council.organisation_id,
        uploaded_by=council.staff,
        status=ImportRun.Status.VALIDATING,
        rows_total=1000,
        rows_done=250,
    )
    client.force_login(council.staff.user)
    page = client.get(run.get_absolute_url()).content.decode()
    bar = 'class="app-import-progress__bar" max="1000" value="250">25%</progress>'
    assert '<progress id="import-progress-bar" ' + bar in page
    assert 'hx-trigger="every 2s"' in page
    assert '<label class="govuk-label" for="import-progress-bar">' in page
    partial = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "250 of 1,000 rows (25%)" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    run.status = ImportRun.Status.APPLIED
    run.save()
    done = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_the_list_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    council = make_council()
    ImportRunFactory.create_batch(
        30, organisation_id=council.organisation_id, uploaded_by=council.staff
    )
    client.force_login(council.staff.user)
    with django_assert_max_num_queries(15):
        response = client.get(LIST)
    assert response.status_code == 200
    assert response.content.decode().count("children.csv</a>") == 20


def test_a_superuser_without_a_staff_record_reads_but_cannot_upload(client):
    council = make_council()
    run = ImportRunFactory(organisation_id=council.organisation_id, uploaded_by=council.staff)
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "Upload and check" not in response.content.decode()
    assert client.get(run.get_absolute_url()).status_code == 200
    assert client.post(LIST, {"kind": "children", "file": upload(CHILDREN)}).status_code == 403


def test_a_file_over_the_size_limit_is_not_kept(client, monkeypatch):
    monkeypatch.setattr(forms_imports, "MAX_UPLOAD_BYTES", 100)
    council = make_council()
    client.force_login(council.staff.user)
    big = csv_bytes("child_id,given_name,family_name", *(f"C{n},Ada,Lovelace" for n in range(50)))
    response = client.post(LIST, {"kind": "children", "file": upload(big)})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "The selected file must be smaller than 250 MB"
    ]
    assert not ImportRun.objects.exists()


def test_an_upload_that_cannot_be_queued_says_so(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(import_run_process_task, "delay", broker_down)
    council = make_council()
    client.force_login(council.staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"kind": "children", "file": upload(CHILDREN)})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.status == ImportRun.Status.FAILED
    assert run.message.startswith("The import could not be started")
