"""The SSDA903 return: the published-format sample in fixtures/ssda903 and the problems
a return can have.

The sample has 20 fictional children (700001-700020) and 53 episodes:
- 700001-700008: S (U6, C1), then L (C2), then P (U4), still open. One case each;
  became looked after, two placements started, one ended.
- 700009-700012: S (U3, V2) ceased E4A; later S (K2, C1), then T (K1), open. Two cases
  each (the first closed); 2 became looked after, 3 started, 2 ended, 1 ceased.
- 700013-700015: S (U4, C2), L (E1), P (A6) ceased E11 (adopted). One closed case; 1
  became looked after, 1 placement order, 2 started, 1 placed for adoption, 2 ended, 1
  ceased, 1 adoption order.
- 700016-700018: P (U4, V2) carried over from last year's return, then B (U6, C1), open.
  One case; looked after from the carried-over episode's DECOM (the return holds nothing
  earlier), 2 started, 1 ended.
- 700019: S (P1, C2), open. 700020: S (U6, V2) ceased E8.

Its latest date is 27/11/2022, so it is taken as the 2022-23 return (SEX 1 and 2).
The tests after it use small hand-made files, one rule each, by collection year.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.urls import reverse

from cases.models import Case, Child, JourneyEvent
from performance.indicators import CATALOGUE
from performance.indicators.source import Source
from performance.models import ImportRun, IndicatorValue
from performance.services.imports import import_run_process
from performance.services.indicators import values_for, window_for
from tests.factories import ChildFactory, DataQualityIssueFactory, JourneyEventFactory
from tests.performance.importing import (
    csv_bytes,
    make_council,
    messages_of,
    problems_of,
    run_import,
    ssda903_files,
    upload,
)

pytestmark = pytest.mark.django_db

SSDA903 = ImportRun.Kind.SSDA903
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = (
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
)


def import_sample(council, header: bytes | None = None, episodes: bytes | None = None):
    sample_header, sample_episodes = ssda903_files()
    return run_import(
        council,
        SSDA903,
        header or sample_header,
        "header.csv",
        episodes=episodes or sample_episodes,
    )


def test_the_published_sample_gives_the_right_counts():
    council = make_council()
    run = import_sample(council)
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    org = council.organisation_id

    children = Child.objects.filter(organisation_id=org)
    assert children.count() == 20
    assert Counter(children.values_list("legal_status", flat=True)) == {
        "C2": 9,
        "C1": 7,
        "E1": 3,
        "V2": 1,
    }
    cases = Case.objects.filter(organisation_id=org)
    assert cases.count() == 24
    assert cases.filter(status=Case.Status.CLOSED).count() == 8
    assert Counter(cases.values_list("journey_stage", flat=True)) == {
        "looked_after": 16,
        "closed": 5,
        "adopted": 3,
    }
    events = JourneyEvent.objects.filter(organisation_id=org)
    assert Counter(events.values_list("kind", flat=True)) == {
        "became_looked_after": 24,
        "placement_started": 42,
        "placement_ended": 26,
        "ceased_looked_after": 8,
        "placement_order": 3,
        "placed_for_adoption": 3,
        "adoption_order": 3,
    }
    assert (run.created_count, run.updated_count, run.unchanged_count) == (153, 0, 0)
    assert run.details["collection_year"]["name"] == "2022-23"
    assert run.details["events_by_kind"]["placement_started"] == 42
    assert run.details["legal_statuses"] == {"C1": 7, "C2": 9, "E1": 3, "V2": 1}


def test_a_child_who_went_home_and_came_back_has_two_cases():
    council = make_council()
    import_sample(council)
    child = Child.objects.get(reference="700009")
    assert (child.given_name, child.family_name) == ("Child", "700009")
    assert child.gender == Child.Gender.MALE  # SEX 1
    assert child.date_of_birth.isoformat() == "2017-10-19"
    assert child.ethnicity == "CHNE"
    first, second = child.cases.order_by("opened_on")
    assert first.status == Case.Status.CLOSED
    assert (first.opened_on.isoformat(), first.closed_on.isoformat()) == (
        "2021-07-27",
        "2021-10-25",
    )
    assert second.status == Case.Status.OPEN
    assert {first.team_id, second.team_id} == {council.team.pk}
    assert first.service_id == council.team.service_id
    ceased = first.events.get(kind=JourneyEvent.Kind.CEASED_LOOKED_AFTER)
    assert ceased.occurred_on == first.closed_on
    assert ceased.outcome.startswith("REC E4A")
    started = second.events.filter(kind=JourneyEvent.Kind.PLACEMENT_STARTED)
    assert sorted(started.values_list("placement_type", flat=True)) == [
        "residential",
        "residential",
    ]
    ended = second.events.get(kind=JourneyEvent.Kind.PLACEMENT_ENDED)
    assert ended.outcome.startswith("REASON_PLACE_CHANGE PLACE")


def test_placement_types_come_from_place():
    council = make_council()
    import_sample(council)
    adopted = Child.objects.get(reference="700013").cases.get()
    assert adopted.journey_stage == "adopted"
    started = adopted.events.filter(kind=JourneyEvent.Kind.PLACEMENT_STARTED)
    assert sorted(started.values_list("placement_type", flat=True)) == ["adoption", "foster"]
    with_parents = Child.objects.get(reference="700019").cases.get()
    assert with_parents.events.get(kind="placement_started").placement_type == "parents"
    kinship = Child.objects.get(reference="700010").cases.order_by("opened_on").first()
    assert kinship.events.get(kind="placement_started").placement_type == "kinship"


def test_importing_the_same_return_again_changes_nothing():
    council = make_council()
    import_sample(council)
    history = (Child.history.count(), Case.history.count())
    events = list(JourneyEvent.objects.order_by("pk").values_list())
    again = import_sample(council)
    assert again.status == ImportRun.Status.UNCHANGED
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 153)
    assert "No changes" in again.message
    assert (Child.history.count(), Case.history.count()) == history
    assert list(JourneyEvent.objects.order_by("pk").values_list()) == events


def test_a_later_return_updates_only_what_changed():
    council = make_council()
    header, episodes = ssda903_files()
    import_sample(council)
    # 700019 went home to live with their parents: the open episode now has a DEC and REC.
    changed = episodes.replace(
        b"700019,04/12/2021,S,C2,N2,P1,PR0,,,", b"700019,04/12/2021,S,C2,N2,P1,PR0,01/06/2023,E4A,"
    )
    assert changed != episodes
    run = import_sample(council, header, changed)
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert (run.created_count, run.updated_count) == (2, 1)
    case = Child.objects.get(reference="700019").cases.get()
    assert (case.status, case.closed_on.isoformat(), case.journey_stage) == (
        "closed",
        "2023-06-01",
        "closed",
    )
    assert set(case.events.values_list("kind", flat=True)) == {
        "became_looked_after",
        "placement_started",
        "placement_ended",
        "ceased_looked_after",
    }


def test_a_period_carried_over_into_the_next_return_joins_its_case():
    council = make_council()
    import_sample(council)
    next_year = csv_bytes(
        EPISODES,
        # The open episode from the sample, carried over (RNE P), now ending in a move.
        "700001,10/11/2021,P,C2,N1,U4,PR1,01/05/2023,X1,CHILD,ZZ99 3VZ,ZZ99 3WZ,",
        "700001,01/05/2023,P,C2,N1,K2,PR4,,,,ZZ99 3VZ,ZZ99 3WZ,SC481234",
    )
    run = import_sample(council, csv_bytes(HEADER), next_year)
    assert messages_of(run).startswith("The file has its column headings but no rows")
    header = csv_bytes(HEADER, "700001,1,11/02/2009,MWBC,UN1,,")
    run = import_sample(council, header, next_year)
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    case = Child.objects.get(reference="700001").cases.get()
    assert case.opened_on.isoformat() == "2021-04-14"
    assert case.events.filter(kind="placement_started").count() == 3
    ended = case.events.get(kind="placement_ended", occurred_on="2023-05-01")
    assert ended.placement_type == "foster"
    assert "Child requested" in ended.outcome


def test_cases_already_in_the_portal_keep_their_team():
    council = make_council()
    import_sample(council)
    case = Child.objects.get(reference="700001").cases.get()
    case.team = council.other_team
    case.service = council.other_team.service
    case.save()
    again = import_sample(council)
    assert again.status == ImportRun.Status.UNCHANGED
    case.refresh_from_db()
    assert case.team == council.other_team


def test_children_already_in_the_portal_keep_their_names():
    council = make_council()
    ChildFactory(
        organisation_id=council.organisation_id,
        reference="700002",
        given_name="Amira",
        family_name="Stone",
        gender=Child.Gender.UNKNOWN,
        ethnicity="",
    )
    run = import_sample(council)
    assert (run.created_count, run.updated_count) == (152, 1)
    child = Child.objects.get(reference="700002")
    assert (child.given_name, child.family_name) == ("Amira", "Stone")
    assert (child.gender, child.ethnicity, child.legal_status) == ("female", "BAFR", "C2")


def test_header_problems_are_reported_and_nothing_is_written():
    council = make_council()
    header = csv_bytes(
        HEADER,
        "800001,3,01/01/2015,WBRI,,,",
        "800002,1,01/01/2099,WBRI,,,",
        "800003,2,01/01/2015,XXXX,,,",
        "800003,2,01/01/2015,WBRI,,,",
        "800004,2,,WBRI,,,",
    )
    episodes = csv_bytes(EPISODES, "800001,01/02/2020,S,C2,N1,U4,PR1,,,,,,")
    run = import_sample(council, header, episodes)
    assert run.status == ImportRun.Status.FAILED
    found = {(row, column) for row, column, _, _ in problems_of(run)}
    assert {(2, "SEX"), (3, "DOB"), (4, "ETHNIC"), (5, "CHILD"), (6, "DOB")} <= found
    assert "This is not a known SEX code" in messages_of(run)
    assert "The date is in the future" in messages_of(run)
    assert Child.objects.count() == 0


def test_episode_problems_are_reported_by_row():
    council = make_council()
    header = csv_bytes(HEADER, "800001,1,01/01/2015,WBRI,,,", "800002,2,01/01/2015,WBRI,,,")
    episodes = csv_bytes(
        EPISODES,
        "800001,01/02/2020,S,C2,N1,U4,PR1,01/01/2020,X1,,,,",  # 2: DEC before DECOM
        "800001,01/03/2021,Q,ZZ,N1,U9,PR1,,,,,,",  # 3: RNE, LS and PLACE unknown
        "800009,01/03/2021,S,C2,N1,U4,PR1,,,,,,",  # 4: not in the header
        "800002,01/02/2020,S,C2,N1,U4,PR1,01/03/2020,,,,,",  # 5: DEC without REC
        "800002,01/02/2020,P,C2,N1,U6,PR1,,,,,,",  # 6: the same DECOM again
        "800002,01/01/2014,S,C2,N1,U6,PR1,02/01/2014,E8,,,,",  # 7: before the DOB
    )
    run = import_sample(council, header, episodes)
    assert run.status == ImportRun.Status.FAILED
    found = {(row, column) for row, column, _, _ in problems_of(run)}
    assert {
        (2, "DEC"),
        (3, "RNE"),
        (3, "LS"),
        (3, "PLACE"),
        (4, "CHILD"),
        (5, "REC"),
        (6, "DECOM"),
        (7, "DECOM"),
    } <= found
    assert Child.objects.count() == Case.objects.count() == JourneyEvent.objects.count() == 0


def test_episodes_out_of_order_are_reported():
    council = make_council()
    header = csv_bytes(HEADER, *(f"80000{n},1,01/01/2015,WBRI,,," for n in range(1, 6)))
    episodes = csv_bytes(
        EPISODES,
        # 800001: X1 but the next episode starts later.
        "800001,01/02/2020,S,C2,N1,U4,PR1,01/03/2020,X1,,,,",
        "800001,05/03/2020,P,C2,N1,U6,PR1,,,,,,",
        # 800002: ceased, then a new episode that is not S.
        "800002,01/02/2020,S,C2,N1,U4,PR1,01/03/2020,E8,,,,",
        "800002,01/04/2020,P,C2,N1,U6,PR1,,,,,,",
        # 800003: an open episode followed by another.
        "800003,01/02/2020,S,C2,N1,U4,PR1,,,,,,",
        "800003,01/04/2020,P,C2,N1,U6,PR1,,,,,,",
        # 800004: X1 on the last episode.
        "800004,01/02/2020,S,C2,N1,U4,PR1,01/03/2020,X1,,,,",
        # 800005: S straight after X1.
        "800005,01/02/2020,S,C2,N1,U4,PR1,01/03/2020,X1,,,,",
        "800005,01/03/2020,S,C2,N1,U6,PR1,,,,,,",
    )
    run = import_sample(council, header, episodes)
    problems = problems_of(run)
    assert run.status == ImportRun.Status.FAILED
    by_row = {(row, column): message for row, column, _, message in problems}
    assert "must start on that day" in by_row[(3, "DECOM")]
    assert "RNE must be S" in by_row[(5, "RNE")]
    assert "has no DEC" in by_row[(6, "DEC")]
    assert "no episode starting on 01/03/2020" in by_row[(8, "REC")]
    assert "runs into this one" in by_row[(10, "RNE")]


def test_the_two_files_must_not_be_swapped():
    council = make_council()
    header, episodes = ssda903_files()
    run = run_import(council, SSDA903, episodes, "episodes.csv", episodes=header)
    messages = messages_of(run)
    assert run.status == ImportRun.Status.FAILED
    assert "The column SEX is missing" in messages
    assert "These are the headings of a ssda903 episodes file" in messages
    assert Child.objects.count() == 0


# Small hand-made returns, one rule each, by collection year.


def head(child: str, sex: str, born: str = "01/01/2014") -> str:
    return f"{child},{sex},{born},WBRI,,,"


def ep(
    child: str,
    decom: str,
    rne: str,
    ls: str,
    place: str,
    dec: str = "",
    rec: str = "",
    reason: str = "",
) -> str:
    return f"{child},{decom},{rne},{ls},N1,{place},PR1,{dec},{rec},{reason},,,"


def import_return(council, header: list[str], episodes: list[str], year: int | None = None):
    return run_import(
        council,
        SSDA903,
        csv_bytes(HEADER, *header),
        "header.csv",
        episodes=csv_bytes(EPISODES, *episodes),
        collection_year=year,
    )


def kinds_on(child: str) -> list[tuple[str, str]]:
    events = JourneyEvent.objects.filter(case__child__reference=child)
    return sorted((e.occurred_on.isoformat(), e.kind) for e in events)


def indicator(slug: str, council, day: datetime.date) -> tuple:
    """The organisation's (numerator, denominator, value) of `slug` for the month of
    `day`, read on that day."""
    values = values_for(CATALOGUE[slug], Source(window_for(council.organisation_id, day)))
    return values[(IndicatorValue.Level.ORGANISATION, None, None, day.replace(day=1))]


# The collection year and its code lists.


def test_sex_is_1_or_2_up_to_2023_24():
    council = make_council()
    run = import_return(
        council,
        [head("900001", "1"), head("900002", "2")],
        [ep("900001", "01/05/2023", "S", "C2", "U4"), ep("900002", "01/05/2023", "S", "C2", "U4")],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert run.details["collection_year"] == {
        "year": 2023,
        "name": "2023-24",
        "stated": False,
        "latest": "2023-05-01",
    }
    genders = dict(Child.objects.values_list("reference", "gender"))
    assert genders == {"900001": "male", "900002": "female"}


def test_sex_is_m_f_or_u_from_2024_25():
    council = make_council()
    children = {"900001": "M", "900002": "F", "900003": "U"}
    run = import_return(
        council,
        [head(child, sex) for child, sex in children.items()],
        [ep(child, "01/05/2024", "S", "C2", "U4") for child in children],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    genders = dict(Child.objects.values_list("reference", "gender"))
    assert genders == {"900001": "male", "900002": "female", "900003": "unknown"}


@pytest.mark.parametrize(
    ("decom", "sex", "message"),
    [
        (
            "01/05/2024",
            "1",
            "SEX 1 is used up to 2023-24, not in 2024-25: use M. This return is taken as "
            "2024-25, the year of the file's latest date (01/05/2024); if it is for another "
            "year, choose that year on the upload form",
        ),
        ("01/05/2023", "M", "SEX M is used from 2024-25, not in 2023-24: use 1."),
    ],
)
def test_sex_codes_of_another_year_are_refused(decom, sex, message):
    council = make_council()
    run = import_return(council, [head("900001", sex)], [ep("900001", decom, "S", "C2", "U4")])
    assert run.status == ImportRun.Status.FAILED
    assert [(row, column, value) for row, column, value, _ in problems_of(run)] == [(2, "SEX", sex)]
    assert message in messages_of(run)
    assert Child.objects.count() == 0


@pytest.mark.parametrize(
    ("year", "place", "accepted"),
    [
        (2024, "Z1", True),
        (2024, "H5", True),
        (2024, "P2", True),
        (2024, "K3", True),
        (2024, "Z11", False),
        (2025, "Z11", True),
        (2025, "Z12", True),
        (2025, "Z13", True),
        (2025, "Z14", True),
        (2025, "K3", True),
        (2025, "Z1", False),
        (2025, "H5", False),
        (2025, "P2", False),
        (2022, "K3", False),
    ],
)
def test_place_codes_by_collection_year(year, place, accepted):
    council = make_council()
    sex = "M" if year >= 2024 else "1"
    run = import_return(
        council, [head("900001", sex)], [ep("900001", f"01/05/{year}", "S", "C2", place)]
    )
    if accepted:
        assert run.status == ImportRun.Status.APPLIED, problems_of(run)
        started = JourneyEvent.objects.get(kind="placement_started")
        assert started.outcome.startswith(f"PLACE {place}: ")
    else:
        assert run.status == ImportRun.Status.FAILED
        assert [(row, column) for row, column, _, _ in problems_of(run)] == [(2, "PLACE")]


def test_a_withdrawn_code_says_what_replaced_it():
    council = make_council()
    run = import_return(
        council, [head("900001", "F")], [ep("900001", "01/05/2025", "S", "C2", "Z1")]
    )
    assert "PLACE Z1 is used up to 2024-25, not in 2025-26: use Z11, Z12, Z13 or Z14" in (
        messages_of(run)
    )


def test_rec_codes_withdrawn_long_ago_are_refused():
    council = make_council()
    run = import_return(
        council,
        [head("900001", "2")],
        [ep("900001", "01/05/2022", "S", "C2", "U4", "01/06/2022", "E43")],
    )
    assert [(row, column, value) for row, column, value, _ in problems_of(run)] == [
        (2, "REC", "E43")
    ]


def test_the_year_on_the_upload_form_overrides_the_files_latest_date():
    """A 2024-25 return whose only child's episode began in 2023-24 and is still open:
    the file's latest date gives 2023-24, whose SEX codes are 1 and 2."""
    council = make_council()
    header, episodes = [head("900001", "M")], [ep("900001", "01/02/2024", "P", "C2", "U4")]
    run = import_return(council, header, episodes)
    assert run.status == ImportRun.Status.FAILED
    assert "This return is taken as 2023-24, the year of the file's latest date" in (
        messages_of(run)
    )
    assert run.details["collection_year"]["name"] == "2023-24"
    run = import_return(council, header, episodes, year=2024)
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert run.details["collection_year"]["stated"] is True
    assert run.collection_year == 2024


def test_dates_after_the_year_chosen_on_the_form_are_refused():
    council = make_council()
    run = import_return(
        council,
        [head("900001", "1")],
        [ep("900001", "01/05/2023", "S", "C2", "U4", "10/04/2024", "E4A")],
        year=2023,
    )
    assert [(row, column, value) for row, column, value, _ in problems_of(run)] == [
        (2, "DEC", "10/04/2024")
    ]
    assert "after the end of the 2023-24 collection year (31/03/2024)" in messages_of(run)


def test_the_run_page_says_which_years_codes_were_used(client):
    council = make_council()
    header = csv_bytes(HEADER, head("900001", "F"))
    episodes = csv_bytes(EPISODES, ep("900001", "01/02/2024", "P", "C2", "U4"))
    client.force_login(council.staff.user)
    client.post(
        reverse("performance:import_list"),
        {
            "kind": "ssda903",
            "file": upload(header, "header.csv"),
            "episodes_file": upload(episodes, "episodes.csv"),
            "team": council.team.pk,
            "collection_year": "2024",
        },
    )
    run = ImportRun.objects.get()
    import_run_process(run_pk=run.pk)  # on_commit does not fire in a test's transaction
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Collection year and its codes" in page
    assert "2024-25, as chosen on the upload form" in page


# Children carried over from an earlier year.


def test_a_child_carried_over_from_an_earlier_year_became_looked_after():
    """Their first episode in the return is not RNE S: they were looked after before it,
    and the return's earliest day for them is the most it can say."""
    council = make_council()
    run = import_return(
        council,
        [head("900001", "M")],
        [
            ep("900001", "01/02/2024", "P", "C2", "U4", "01/06/2024", "X1", "CHILD"),
            ep("900001", "01/06/2024", "P", "C2", "K2"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    case = Case.objects.get()
    assert (case.opened_on.isoformat(), case.status) == ("2024-02-01", "open")
    became = case.events.get(kind="became_looked_after")
    assert became.occurred_on.isoformat() == "2024-02-01"
    assert became.outcome.startswith("In care before this return; LS C2")
    assert kinds_on("900001") == [
        ("2024-02-01", "became_looked_after"),
        ("2024-02-01", "placement_started"),
        ("2024-06-01", "placement_ended"),
        ("2024-06-01", "placement_started"),
    ]


def test_children_carried_over_count_in_the_placement_indicators():
    council = make_council()
    run = import_return(
        council,
        [head("900001", "M"), head("900002", "F")],
        [
            # Three placements in the 12 months to 31 October 2024.
            ep("900001", "01/02/2024", "P", "C2", "U4", "01/06/2024", "X1", "CHILD"),
            ep("900001", "01/06/2024", "P", "C2", "U6", "01/09/2024", "X1", "CARPL"),
            ep("900001", "01/09/2024", "P", "C2", "K2"),
            # In the same placement since 2021, still 10.
            ep("900002", "01/01/2021", "P", "C2", "U4"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    day = datetime.date(2024, 10, 31)
    assert indicator("three-plus-placements", council, day) == (1, 2, 50.0)
    assert indicator("placement-stability-2-years", council, day) == (1, 1, 100.0)


def test_a_later_return_continues_the_case_of_an_earlier_one():
    council = make_council()
    first = import_return(
        council,
        [head("900001", "1")],
        [
            ep("900001", "01/05/2023", "S", "C1", "U4", "01/09/2023", "X1", "CHILD"),
            ep("900001", "01/09/2023", "P", "C2", "U6"),
        ],
    )
    assert first.status == ImportRun.Status.APPLIED, problems_of(first)
    # 2024-25: the episode open on 1 April 2024 is carried over (RNE P), then a move.
    run = import_return(
        council,
        [head("900001", "M")],
        [
            ep("900001", "01/09/2023", "P", "C2", "U6", "01/07/2024", "X1", "CARPL"),
            ep("900001", "01/07/2024", "P", "C2", "K2"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert "removed" not in run.details
    case = Case.objects.get()
    assert case.opened_on.isoformat() == "2023-05-01"
    # What the 2023-24 return said before the carried-over episode is kept, and the child
    # gets no second "became looked after".
    assert kinds_on("900001") == [
        ("2023-05-01", "became_looked_after"),
        ("2023-05-01", "placement_started"),
        ("2023-09-01", "placement_ended"),
        ("2023-09-01", "placement_started"),
        ("2024-07-01", "placement_ended"),
        ("2024-07-01", "placement_started"),
    ]


def test_a_child_who_ceases_and_starts_again_the_same_day_is_in_the_new_period():
    council = make_council()
    run = import_return(
        council,
        [head("900001", "1")],
        [
            ep("900001", "01/05/2023", "S", "V2", "U4", "01/08/2023", "E4A"),
            ep("900001", "01/08/2023", "S", "C1", "U6", "01/10/2023", "X1", "CARPL"),
            ep("900001", "01/10/2023", "P", "C2", "K2"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    old, new = Case.objects.order_by("opened_on")
    assert (old.closed_on.isoformat(), new.opened_on.isoformat()) == ("2023-08-01", "2023-08-01")
    # Looked after at the end of December, with three placements in the year.
    assert indicator("three-plus-placements", council, datetime.date(2023, 12, 31)) == (
        1,
        1,
        100.0,
    )
    # The next year's return carries the new period over: it continues the new case.
    run = import_return(
        council,
        [head("900001", "M")],
        [
            ep("900001", "01/10/2023", "P", "C2", "K2", "01/05/2024", "X1", "CHILD"),
            ep("900001", "01/05/2024", "P", "C2", "U4"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert Case.objects.count() == 2
    assert new.events.filter(kind="placement_started").count() == 3
    assert old.events.filter(kind="placement_started").count() == 1


# A corrected return replaces what it no longer says.


def test_a_corrected_dec_leaves_one_ceasing():
    council = make_council()
    header = [head("900001", "M")]
    import_return(
        council, header, [ep("900001", "01/05/2024", "S", "C2", "U4", "01/09/2024", "E4A")]
    )
    ceased = JourneyEvent.objects.get(kind="ceased_looked_after")
    issue = DataQualityIssueFactory(case=ceased.case, event=ceased, key=f"event:{ceased.pk}")
    corrected = [ep("900001", "01/05/2024", "S", "C2", "U4", "15/09/2024", "E4A")]
    run = import_return(council, header, corrected)
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    issue.refresh_from_db()
    assert issue.event is None  # the nightly run closes it as fixed
    assert kinds_on("900001") == [
        ("2024-05-01", "became_looked_after"),
        ("2024-05-01", "placement_started"),
        ("2024-09-15", "ceased_looked_after"),
        ("2024-09-15", "placement_ended"),
    ]
    assert Case.objects.get().closed_on.isoformat() == "2024-09-15"
    removed = run.details["removed"]
    assert (removed["events"], removed["cases"]) == (2, 0)
    assert removed["events_by_kind"] == {"ceased_looked_after": 1, "placement_ended": 1}
    assert {(item["child"], item["kind"], item["on"]) for item in removed["listed"]} == {
        ("900001", "ceased_looked_after", "2024-09-01"),
        ("900001", "placement_ended", "2024-09-01"),
    }
    # Importing the corrected return again changes nothing.
    again = import_return(council, header, corrected)
    assert again.status == ImportRun.Status.UNCHANGED
    assert "removed" not in again.details


def test_a_corrected_first_decom_moves_the_case_rather_than_opening_another():
    council = make_council()
    header = [head("900001", "M")]
    import_return(council, header, [ep("900001", "01/05/2024", "S", "C2", "U4")])
    case = Case.objects.get()
    run = import_return(council, header, [ep("900001", "03/05/2024", "S", "C2", "U4")])
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert list(Case.objects.values_list("pk", "opened_on")) == [
        (case.pk, datetime.date(2024, 5, 3))
    ]
    assert kinds_on("900001") == [
        ("2024-05-03", "became_looked_after"),
        ("2024-05-03", "placement_started"),
    ]
    assert run.details["removed"]["events"] == 2


def test_a_period_no_longer_in_the_return_is_removed(client):
    council = make_council()
    header = [head("900001", "M")]
    # Two periods: ceased on 1 June and started again that day...
    import_return(
        council,
        header,
        [
            ep("900001", "01/05/2024", "S", "C2", "U4", "01/06/2024", "E8"),
            ep("900001", "01/06/2024", "S", "C2", "U6"),
        ],
    )
    first, second = Case.objects.order_by("opened_on")
    # ...corrected: it was a change of placement in one period of care.
    run = import_return(
        council,
        header,
        [
            ep("900001", "01/05/2024", "S", "C2", "U4", "01/06/2024", "X1", "CARPL"),
            ep("900001", "01/06/2024", "P", "C2", "U6"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert list(Case.objects.values_list("pk", flat=True)) == [first.pk]
    assert kinds_on("900001") == [
        ("2024-05-01", "became_looked_after"),
        ("2024-05-01", "placement_started"),
        ("2024-06-01", "placement_ended"),
        ("2024-06-01", "placement_started"),
    ]
    assert Case.history.filter(id=second.pk, history_type="-").count() == 1
    removed = run.details["removed"]
    assert (removed["events"], removed["cases"], removed["cases_closed"]) == (2, 1, 0)
    client.force_login(council.staff.user)
    page = client.get(run.get_absolute_url()).content.decode()
    assert "Removed: no longer in the return" in page
    assert "Period of care opened 01/06/2024: removed" in page
    assert "Ceased to be looked after on 01/06/2024" in page


def test_events_from_elsewhere_are_never_removed_and_keep_their_case():
    council = make_council()
    header = [head("900001", "M")]
    import_return(
        council,
        header,
        [
            ep("900001", "01/05/2024", "S", "C2", "U4", "01/06/2024", "E8"),
            ep("900001", "01/06/2024", "S", "C2", "U6"),
        ],
    )
    first, second = Case.objects.order_by("opened_on")
    visits = [
        JourneyEventFactory(case=case, kind="visit", occurred_on=day, recorded_on=day)
        for case, day in ((first, datetime.date(2024, 5, 20)), (second, datetime.date(2024, 6, 20)))
    ]
    run = import_return(
        council,
        header,
        [
            ep("900001", "01/05/2024", "S", "C2", "U4", "01/06/2024", "X1", "CARPL"),
            ep("900001", "01/06/2024", "P", "C2", "U6"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    assert JourneyEvent.objects.filter(pk__in=[v.pk for v in visits]).count() == 2
    second.refresh_from_db()
    assert (second.status, second.closed_on, second.journey_stage) == (
        "closed",
        second.opened_on,
        "closed",
    )
    assert list(second.events.values_list("kind", flat=True)) == ["visit"]
    assert run.details["removed"]["cases_closed"] == 1


def test_an_earlier_years_return_imported_after_a_later_one_changes_nothing_later():
    council = make_council()
    later = import_return(
        council,
        [head("900001", "M")],
        [
            ep("900001", "01/02/2024", "S", "C2", "U4", "01/06/2024", "X1", "CHILD"),
            ep("900001", "01/06/2024", "P", "C2", "K2", "01/01/2025", "E8"),
        ],
    )
    assert later.status == ImportRun.Status.APPLIED, problems_of(later)
    before = kinds_on("900001")
    earlier = import_return(
        council, [head("900001", "1")], [ep("900001", "01/02/2024", "S", "C2", "U4")]
    )
    assert earlier.status == ImportRun.Status.UNCHANGED, problems_of(earlier)
    assert kinds_on("900001") == before
    assert Case.objects.get().closed_on.isoformat() == "2025-01-01"


# Adoption.


@pytest.mark.parametrize(("year", "sex"), [(2023, "1"), (2025, "F")])
def test_adoption_events_feed_the_adoption_indicators(year, sex):
    council = make_council()
    run = import_return(
        council,
        [head("900001", sex)],
        [
            ep("900001", f"01/05/{year}", "S", "C2", "U4", f"01/07/{year}", "X1"),
            ep("900001", f"01/07/{year}", "L", "E1", "U4", f"01/09/{year}", "X1", "CARPL"),
            ep("900001", f"01/09/{year}", "P", "E1", "A5", f"01/02/{year + 1}", "E12"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    events = {kind: day for day, kind in kinds_on("900001")}
    assert events["placement_order"] == f"{year}-07-01"
    assert events["placed_for_adoption"] == f"{year}-09-01"
    assert events["adoption_order"] == f"{year + 1}-02-01"
    assert Case.objects.get().journey_stage == "adopted"
    # 1 May to 1 September: 123 days.
    placed = datetime.date(year, 9, 30)
    assert indicator("care-to-adoptive-placement-days", council, placed) == (123, 1, 123.0)
    adopted = datetime.date(year + 1, 2, 28)
    assert indicator("children-adopted", council, adopted) == (1, None, 1.0)


def test_a_move_between_adoptive_placements_is_one_placement_for_adoption():
    council = make_council()
    run = import_return(
        council,
        [head("900001", "M")],
        [
            ep("900001", "01/05/2024", "S", "E1", "A5", "01/07/2024", "X1", "CARPL"),
            ep("900001", "01/07/2024", "T", "E1", "A6"),
        ],
    )
    assert run.status == ImportRun.Status.APPLIED, problems_of(run)
    kinds = [kind for _, kind in kinds_on("900001")]
    assert kinds.count("placed_for_adoption") == 1
    assert kinds.count("placement_order") == 1
