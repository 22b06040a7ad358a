"""The SSDA903 return: the published-format sample in fixtures/ssda903 and the problems
a return can have.

The sample has 20 fictional children (700001-700020) and 53 episodes:
- 700001-700008: S (U6, C1), then L (C2), then P (U4), still open. One case each;
  became looked after, two placements started, one ended.
- 700009-700012: S (U3, V2) ceased E4A; later S (K2, C1), then T (K1), open. Two cases
  each (the first closed); 2 became looked after, 3 started, 2 ended, 1 ceased.
- 700013-700015: S (U4, C2), L (E1), P (A6) ceased E11 (adopted). One closed case; 1
  became looked after, 2 started, 2 ended, 1 ceased.
- 700016-700018: P (U4, V2) carried over from last year's return, then B (U6, C1), open.
  One case; 2 started, 1 ended, no "became looked after" (it was before this return).
- 700019: S (P1, C2), open. 700020: S (U6, V2) ceased E8.
"""

from __future__ import annotations

from collections import Counter

import pytest

from cases.models import Case, Child, JourneyEvent
from performance.models import ImportRun
from tests.factories import ChildFactory
from tests.performance.importing import (
    csv_bytes,
    make_council,
    messages_of,
    problems_of,
    run_import,
    ssda903_files,
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
        "became_looked_after": 21,
        "placement_started": 42,
        "placement_ended": 26,
        "ceased_looked_after": 8,
    }
    assert (run.created_count, run.updated_count, run.unchanged_count) == (141, 0, 0)
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
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 141)
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
    assert (run.created_count, run.updated_count) == (140, 1)
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
