"""Staff surveys and health checks: the all-or-nothing CSV import with its report by row,
the aggregates by team shown only where at least five answered (and withheld where the
total would give a smaller team away), who reads whose, and the pages."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from cases.models import Service
from feedback import staff_voice
from feedback.models import StaffSurvey, SurveyAnswer, SurveyResponse
from tests.factories import ServiceFactory, StaffMemberFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    service = ServiceFactory(kind=Service.Kind.LOOKED_AFTER, name="Looked after")
    org = service.organisation
    north = TeamFactory(service=service, organisation=org, name="North")
    south = TeamFactory(service=service, organisation=org, name="South")
    other_service = ServiceFactory(organisation=org, name="Front door")
    east = TeamFactory(service=other_service, organisation=org, name="East")
    return {
        "org": org,
        "north": north,
        "south": south,
        "east": east,
        "qa": StaffMemberFactory(team=None, service=None, organisation=org, qa=True),
        "support": StaffMemberFactory(
            team=None, service=None, organisation=org, business_support=True
        ),
        "north_manager": StaffMemberFactory(team=north, team_manager=True),
        "service_manager": StaffMemberFactory(
            team=None, service=service, organisation=org, service_manager=True
        ),
        "practitioner": StaffMemberFactory(team=north),
    }


def _file(*rows: str, headings: str = "team,Supported,Time,comment") -> io.BytesIO:
    return io.BytesIO(("\n".join([headings, *rows]) + "\n").encode("utf-8"))


def _import(world, *rows: str, by: str = "qa", **kwargs):
    return staff_voice.survey_import(
        by=world[by], kind="staff_survey", year=2026, upload=_file(*rows, **kwargs)
    )


def test_a_good_file_is_imported_whole(world):
    report = _import(world, "North,4,5,Good team", "south,2,,", "North,5,3,")
    assert report.problems == []
    survey = report.survey
    assert survey.responses_count == 3
    assert list(survey.questions.values_list("text", flat=True)) == ["Supported", "Time"]
    assert SurveyResponse.objects.filter(survey=survey).count() == 3
    # The blank answer is not stored; no response names a person.
    assert SurveyAnswer.objects.filter(survey=survey).count() == 5
    assert "staff" not in {f.name for f in SurveyResponse._meta.fields}


def test_bad_rows_are_reported_by_row_and_nothing_is_written(world):
    report = _import(
        world,
        "North,4,5,",
        "Nowhere,4,5,",
        "North,6,x,",
        "North,,,",
        "North,4,5,extra,cells",
    )
    assert report.survey is None
    assert [(p.row, p.column) for p in report.problems] == [
        (3, "team"),
        (4, "Supported"),
        (4, "Time"),
        (5, ""),
        (6, ""),
    ]
    assert "'Nowhere' is not one of your teams" in report.problems[0].message
    assert "'6' is not an answer from 1 to 5" in report.problems[1].message
    assert not StaffSurvey.objects.exists()
    assert not SurveyResponse.objects.exists()


def test_a_team_of_another_organisation_is_not_one_of_yours(world):
    TeamFactory(name="Elsewhere")
    report = _import(world, "Elsewhere,4,4,")
    assert [p.column for p in report.problems] == ["team"]


@pytest.mark.parametrize(
    ("headings", "message"),
    [
        ("person,Supported", "The first column must be headed 'team'"),
        ("team,comment", "no question columns"),
        ("team,Supported,supported", "same heading"),
    ],
)
def test_a_file_with_wrong_headings_is_refused(world, headings, message):
    with pytest.raises(staff_voice.SurveyImportError, match=message):
        _import(world, "North,4,4", headings=headings)
    assert not StaffSurvey.objects.exists()


def test_a_file_that_is_not_utf8_is_refused(world):
    upload = io.BytesIO("team,Supported\nNorth,4\nSouth,\xa34\n".encode("latin-1"))
    with pytest.raises(staff_voice.SurveyImportError, match="line 3"):
        staff_voice.survey_import(by=world["qa"], kind="staff_survey", year=2026, upload=upload)


def test_a_year_is_imported_once(world):
    _import(world, "North,4,4,")
    with pytest.raises(staff_voice.SurveyImportError, match="already been imported"):
        _import(world, "North,4,4,")


def test_only_qa_and_business_support_import(world):
    assert _import(world, "North,4,4,", by="support").survey is not None
    with pytest.raises(staff_voice.SurveyImportError):
        staff_voice.survey_import(
            by=world["north_manager"], kind="health_check", year=2026, upload=_file("North,4,4,")
        )


# Aggregates.


def _survey(world, north: int = 6, south: int = 3, east: int = 7):
    rows = (
        [f"North,{4 if n % 2 else 2},{n % 5 + 1}," for n in range(north)]
        + ["South,5,5," for _ in range(south)]
        + ["East,3,4," for _ in range(east)]
    )
    return _import(world, *rows).survey


def test_a_team_is_shown_only_where_five_or_more_answered(world):
    TeamFactory(service=world["north"].service, organisation=world["org"], name="West")
    rows = (
        [f"North,{4 if n % 2 else 2},{n % 5 + 1}," for n in range(6)]
        + ["South,5,5," for _ in range(3)]
        + ["West,5,5," for _ in range(2)]
        + ["East,3,4," for _ in range(7)]
    )
    survey = _import(world, *rows).survey
    results = staff_voice.survey_results(user=world["qa"].user, survey=survey)
    shown = {team.label: team for team in results.shown_teams}
    # South and West, three and two, are hidden: five between them, so none is withheld.
    assert set(shown) == {"East", "North"}
    assert [team.label for team in results.suppressed_teams] == ["South", "West"]
    assert not any(team.withheld for team in results.teams)
    north = shown["North"].cells[0]
    # North answered 2, 4, 2, 4, 2, 4 to the first question: three agree of six.
    assert (north.answered, north.agree, north.agree_percent) == (6, 3, 50)
    assert north.average_shown == "3.0"


def test_the_total_counts_every_answer(world):
    survey = _survey(world, north=6, south=5, east=7)
    results = staff_voice.survey_results(user=world["qa"].user, survey=survey)
    total = results.total.cells[0]
    assert total.answered == 18
    assert total.agree == 3 + 5
    assert total.agree_percent == 44
    assert results.total.respondents == 18


def test_a_team_is_withheld_where_the_total_would_give_a_small_team_away(world):
    survey = _survey(world, north=6, south=3, east=7)
    results = staff_voice.survey_results(user=world["qa"].user, survey=survey)
    # South's three are hidden; withholding North (the smallest shown) makes nine hidden.
    assert [team.label for team in results.shown_teams] == ["East"]
    assert {team.label: team.withheld for team in results.suppressed_teams} == {
        "North": True,
        "South": False,
    }


def test_a_question_answered_by_fewer_than_five_is_not_shown(world):
    rows = ["North,4,5," for _ in range(3)] + ["North,4,," for _ in range(3)]
    survey = _import(world, *rows).survey
    results = staff_voice.survey_results(user=world["qa"].user, survey=survey)
    north = results.shown_teams[0]
    assert north.cells[0].shown
    assert not north.cells[1].shown
    assert north.cells[1].agree_percent is None


def test_a_team_manager_reads_their_own_team_only(world):
    survey = _survey(world, north=6, south=6, east=7)
    results = staff_voice.survey_results(user=world["north_manager"].user, survey=survey)
    assert [team.label for team in results.teams] == ["North"]
    assert results.total is None
    assert results.chart_group.label == "North"


def test_a_service_manager_reads_their_services_teams_and_total(world):
    survey = _survey(world, north=6, south=6, east=7)
    results = staff_voice.survey_results(user=world["service_manager"].user, survey=survey)
    assert [team.label for team in results.teams] == ["North", "South"]
    assert results.total.respondents == 12
    assert results.total_label == "All of Looked after"


def test_practitioners_and_other_organisations_see_no_surveys(world):
    survey = _survey(world)
    other_qa = StaffMemberFactory(qa=True)
    for person in (world["practitioner"], other_qa):
        assert not StaffSurvey.objects.visible_to(person.user).filter(pk=survey.pk).exists()
        assert not SurveyAnswer.objects.visible_to(person.user).exists()


# Pages.


def test_the_results_page_reads_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries
):
    teams = [
        TeamFactory(service=world["north"].service, organisation=world["org"]) for _ in range(15)
    ]
    rows = [f"{team.name},4,3," for team in teams for _ in range(5)]
    survey = _import(world, *rows).survey
    client.force_login(world["qa"].user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("feedback:survey_results", kwargs={"survey_pk": survey.pk}))
    assert response.status_code == 200


def test_the_import_page_shows_the_problems_by_row(client, world):
    client.force_login(world["qa"].user)
    upload = _file("North,4,4,", "North,9,4,")
    upload.name = "results.csv"
    response = client.post(
        reverse("feedback:survey_import"),
        {"kind": "staff_survey", "year": "2026", "file": upload},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was imported" in body
    assert "is not an answer from 1 to 5" in body
    assert not StaffSurvey.objects.exists()


def test_the_import_page_imports_a_good_file(client, world):
    client.force_login(world["support"].user)
    upload = _file("North,4,4,")
    upload.name = "results.csv"
    response = client.post(
        reverse("feedback:survey_import"),
        {"kind": "health_check", "year": "2026", "file": upload},
    )
    survey = StaffSurvey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == survey.get_absolute_url()


def test_the_results_page_says_why_a_team_is_not_shown(client, world):
    survey = _survey(world, north=6, south=3, east=7)
    client.force_login(world["qa"].user)
    body = client.get(survey.get_absolute_url()).content.decode()
    assert "South: fewer than 5 people answered" in body
