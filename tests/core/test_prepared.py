"""core.prepared keeps the SQL a reader's query compiles to and runs it again: the rows
must be a fresh build's every time (read from the database on each call), the SQL
compiled once for each reader and input, a new reader or input a new key, and a build
that depends on anything but its key never kept unnoticed."""

from __future__ import annotations

import datetime

import pytest
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, Window
from django.db.models.sql.compiler import SQLCompiler

from cases.models import Case, StaffMember, Team
from core import prepared
from core.auth import PasswordBackend
from tests.factories import CaseFactory, StaffMemberFactory, TeamFactory

pytestmark = pytest.mark.django_db

SHOWN = 3


def _reader(staff: StaffMember):
    """The user as each request reads them (with their staff, organisation, team and
    service: itself a prepared query, which this module's tests do not count)."""
    user = PasswordBackend().get_user(staff.user_id)
    prepared._KEPT.clear()
    return user


# Builders: module-level functions of the reader and the inputs alone.


def open_cases(user):
    return (
        Case.objects.visible_to(user)
        .filter(status=Case.Status.OPEN)
        .select_related("child", "team")
        .annotate(total=Window(Count("pk")))
        .order_by("pk")[:SHOWN]
    )


def opened_since(user, since: datetime.date):
    return Case.objects.visible_to(user).filter(opened_on__gte=since).order_by("pk")


def team_names(user):
    return Case.objects.visible_to(user).values("team__name").annotate(n=Count("pk")).order_by()


def with_teams_prefetched(user):
    return Team.objects.visible_to(user).prefetch_related("cases").order_by("pk")


def case_counts(user):
    return Case.objects.visible_to(user), {
        "all": Count("pk"),
        "open": Count("pk", filter=Q(status=Case.Status.OPEN)),
        "closed": Count("pk", filter=Q(status=Case.Status.CLOSED)),
    }


def reads_while_building(user):
    first_team = Team.objects.order_by("pk").first()
    return Case.objects.visible_to(user).filter(team=first_team)


LIMIT = 2
SINCE = datetime.date(2000, 1, 1)


def reads_a_global(user):
    return Case.objects.visible_to(user).order_by("pk")[:LIMIT]


def counted_since(user):
    return Case.objects.visible_to(user).filter(opened_on__gte=SINCE), {"n": Count("pk")}


def of_team(user, team):
    return Case.objects.visible_to(user).filter(team=team).order_by("pk")


@pytest.fixture
def world():
    team = TeamFactory()
    other = TeamFactory(service=team.service)
    manager = StaffMemberFactory(team=team, team_manager=True)
    cases = [CaseFactory(team=team) for _ in range(4)]
    CaseFactory(
        team=team,
        status=Case.Status.CLOSED,
        opened_on=datetime.date(2019, 1, 1),
        closed_on=datetime.date(2020, 1, 1),
    )
    CaseFactory(team=other)
    return {"team": team, "other": other, "manager": manager, "cases": cases}


@pytest.fixture(autouse=True)
def nothing_kept():
    prepared._KEPT.clear()
    yield
    prepared._KEPT.clear()


@pytest.fixture
def unchecked(settings):
    """As in production: kept SQL is run without a fresh build beside it."""
    settings.PREPARED_QUERIES_CHECK = False


@pytest.fixture
def compiles(monkeypatch):
    """How many times Django compiles a query to SQL."""
    calls = []
    real = SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        calls.append(self.query.model)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return calls


def _shown(rows):
    return [(case.pk, case.child.family_name, case.team.name, case.total) for case in rows]


def test_rows_are_a_fresh_builds_every_time(world):
    user = _reader(world["manager"])
    expected = _shown(open_cases(user))
    assert [row[0] for row in expected] == [case.pk for case in world["cases"][:SHOWN]]
    assert expected[0][3] == 4  # the window count: the team's four open cases
    assert _shown(prepared.rows(open_cases, user)) == expected  # built and kept
    assert _shown(prepared.rows(open_cases, user)) == expected  # from the kept SQL


def test_the_sql_is_compiled_once_for_a_reader(world, unchecked, compiles):
    user, next_requests = _reader(world["manager"]), _reader(world["manager"])
    compiles.clear()
    prepared.rows(open_cases, user)
    assert compiles == [Case]
    prepared.rows(open_cases, next_requests)
    prepared.rows(open_cases, user)
    assert compiles == [Case]


def test_each_call_is_one_statement(world, django_assert_num_queries):
    user = _reader(world["manager"])
    with django_assert_num_queries(1):
        prepared.rows(open_cases, user)
    with django_assert_num_queries(1):
        prepared.rows(open_cases, user)


def test_rows_are_read_from_the_database_on_each_call(world):
    user = _reader(world["manager"])
    assert len(prepared.rows(opened_since, user, datetime.date(2000, 1, 1))) == 5
    CaseFactory(team=world["team"])
    Case.objects.filter(pk=world["cases"][0].pk).update(team=world["other"])
    found = prepared.rows(opened_since, user, datetime.date(2000, 1, 1))
    assert len(found) == 5
    assert world["cases"][0].pk not in [case.pk for case in found]


def test_another_input_is_another_query(world, unchecked, compiles):
    user = _reader(world["manager"])
    Case.objects.filter(pk=world["cases"][0].pk).update(opened_on=datetime.date(2001, 1, 1))
    compiles.clear()
    assert len(prepared.rows(opened_since, user, datetime.date(2000, 1, 1))) == 5
    assert len(prepared.rows(opened_since, user, datetime.date(2002, 1, 1))) == 4
    assert len(compiles) == 2


def test_a_reader_whose_team_changes_sees_the_new_teams_cases(world):
    manager = world["manager"]
    before = prepared.rows(opened_since, _reader(manager), datetime.date(2000, 1, 1))
    assert len(before) == 5
    StaffMember.objects.filter(pk=manager.pk).update(team=world["other"])
    after = prepared.rows(opened_since, _reader(manager), datetime.date(2000, 1, 1))
    assert [case.team_id for case in after] == [world["other"].pk]


def test_a_reader_changed_in_place_has_a_new_key(world, unchecked, compiles):
    """The same user object read again within a request: its key is worked out again
    when any field it describes, or a row loaded with it, changed."""
    user = _reader(world["manager"])
    compiles.clear()
    assert len(prepared.rows(opened_since, user, datetime.date(2000, 1, 1))) == 5
    assert len(prepared.rows(opened_since, user, datetime.date(2000, 1, 1))) == 5
    assert len(compiles) == 1
    user.staff.team = world["other"]  # the loaded team changes, and its id
    assert [
        case.team_id for case in prepared.rows(opened_since, user, datetime.date(2000, 1, 1))
    ] == [world["other"].pk]
    user.staff.team.name = "Renamed"  # a field two rows away
    prepared.rows(opened_since, user, datetime.date(2000, 1, 1))
    assert len(compiles) == 3


def test_readers_of_other_roles_and_teams_get_their_own(world):
    other_manager = StaffMemberFactory(team=world["other"], team_manager=True)
    practitioner = StaffMemberFactory(team=world["team"])
    regional = StaffMemberFactory(team=world["team"], regional_lead=True)
    for staff in (world["manager"], other_manager, practitioner, regional):
        user = _reader(staff)
        fresh = [case.pk for case in opened_since(user, datetime.date(2000, 1, 1))]
        for _ in range(2):
            assert [
                case.pk for case in prepared.rows(opened_since, user, datetime.date(2000, 1, 1))
            ] == fresh
    assert prepared.rows(opened_since, _reader(regional), datetime.date(2000, 1, 1)) == []


def test_values_and_prefetches_come_back_as_a_fresh_build_gives(world):
    user = _reader(world["manager"])
    expected = sorted(team_names(user), key=lambda row: row["team__name"])
    for _ in range(2):
        assert sorted(prepared.rows(team_names, user), key=lambda row: row["team__name"]) == (
            expected
        )
        teams = prepared.rows(with_teams_prefetched, user)
        assert {team.pk: len(team.cases.all()) for team in teams}[world["team"].pk] == 5


def test_a_build_that_reads_the_database_is_not_kept(world):
    user = _reader(world["manager"])
    prepared.rows(reads_while_building, user)
    assert len(prepared._KEPT) == 0


def test_a_reader_not_loaded_with_their_staff_is_not_kept(world):
    user = world["manager"].user
    user.refresh_from_db()  # nothing loaded with it: the build reads their staff
    assert len(prepared.rows(opened_since, user, datetime.date(2000, 1, 1))) == 5
    assert len(prepared._KEPT) == 0


def test_an_input_that_cannot_be_described_is_built_every_time(world, unchecked, compiles):
    user = _reader(world["manager"])
    compiles.clear()
    prepared.rows(opened_since, user, datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    assert len(prepared._KEPT) == 1  # a date and time is described
    for _ in range(2):  # a row is not: what it holds may change
        assert len(prepared.rows(of_team, user, world["team"])) == 5
    assert len(prepared._KEPT) == 1
    assert len(compiles) == 3


def test_only_a_module_level_function_builds(world):
    user = _reader(world["manager"])
    with pytest.raises(TypeError, match="module-level"):
        prepared.rows(lambda user: Case.objects.visible_to(user), user)


def test_a_build_depending_on_what_its_key_lacks_fails_loudly(world, monkeypatch):
    user = _reader(world["manager"])
    assert len(prepared.rows(reads_a_global, user)) == 2
    monkeypatch.setattr(__import__(__name__, fromlist=["LIMIT"]), "LIMIT", 3)
    with pytest.raises(prepared.PreparedQueryDiffers, match="reads_a_global"):
        prepared.rows(reads_a_global, user)


def test_aggregates_are_the_aggregates_and_read_afresh(world, unchecked, compiles):
    user = _reader(world["manager"])
    queryset, wanted = case_counts(user)
    assert queryset.aggregate(**wanted) == {"all": 5, "open": 4, "closed": 1}
    compiles.clear()
    assert prepared.aggregate(case_counts, user) == {"all": 5, "open": 4, "closed": 1}
    assert len(compiles) == 1
    CaseFactory(
        team=world["team"],
        status=Case.Status.CLOSED,
        opened_on=datetime.date(2019, 1, 1),
        closed_on=datetime.date(2020, 1, 1),
    )
    compiles.clear()
    assert prepared.aggregate(case_counts, user) == {"all": 6, "open": 4, "closed": 2}
    assert compiles == []  # kept: run again, not compiled


def test_aggregates_of_a_reader_who_sees_nothing_are_nought(world):
    regional = _reader(StaffMemberFactory(team=world["team"], regional_lead=True))
    for _ in range(2):
        assert prepared.aggregate(case_counts, regional) == {"all": 0, "open": 0, "closed": 0}


def test_aggregates_check_their_kept_sql_against_a_fresh_build(world, monkeypatch):
    user = _reader(world["manager"])
    assert prepared.aggregate(counted_since, user) == {"n": 5}
    assert prepared.aggregate(counted_since, user) == {"n": 5}  # checked: the same SQL
    monkeypatch.setattr(
        __import__(__name__, fromlist=["SINCE"]), "SINCE", datetime.date(2100, 1, 1)
    )
    with pytest.raises(prepared.PreparedQueryDiffers, match="counted_since"):
        prepared.aggregate(counted_since, user)


def first_and_last_opened(user):
    return Case.objects.visible_to(user), {
        "first": Min("opened_on"),
        "last": Max("opened_on"),
        "open": Count("pk", filter=Q(status=Case.Status.OPEN)),
    }


def distinct_teams(user):
    return Case.objects.visible_to(user).values("team_id").distinct(), {"n": Count("team_id")}


def newest_first(user, team_id: int):
    return Case.objects.filter(team_id=team_id).order_by("-opened_on", "-pk")


def test_any_aggregate_comes_back_converted(world, unchecked, compiles):
    user = _reader(world["manager"])
    queryset, wanted = first_and_last_opened(user)
    expected = queryset.aggregate(**wanted)
    assert isinstance(expected["first"], datetime.date)
    compiles.clear()
    assert prepared.aggregate(first_and_last_opened, user) == expected
    assert prepared.aggregate(first_and_last_opened, user) == expected
    assert len(compiles) == 1


def test_an_aggregate_over_a_distinct_queryset_is_djangos_own(world):
    user = _reader(world["manager"])
    for _ in range(2):
        assert prepared.aggregate(distinct_teams, user) == {"n": 1}
    assert len(prepared._KEPT) == 0


def test_a_listing_pages_as_the_queryset_does(world, unchecked, compiles):
    team_id = world["team"].pk
    CaseFactory.create_batch(3, team=world["team"])
    paginated = Paginator(newest_first(None, team_id), 3)
    expected = {n: [case.pk for case in paginated.get_page(n)] for n in (1, 2, 3)}
    assert paginated.count == 8
    compiles.clear()
    for number in (1, 2, 3, 2):
        listing = Paginator(prepared.Listing(newest_first, None, team_id), 3)
        assert listing.count == 8
        assert [case.pk for case in listing.get_page(number)] == expected[number]
    # The count, and each of three pages: compiled once each.
    assert len(compiles) == 4


def test_a_listing_given_its_count_reads_only_its_page(world, unchecked, django_assert_num_queries):
    team_id = world["team"].pk
    CaseFactory.create_batch(3, team=world["team"])
    expected = [case.pk for case in Paginator(newest_first(None, team_id), 3).get_page(2)]
    listing = Paginator(prepared.Listing(newest_first, None, team_id, count=8), 3)
    with django_assert_num_queries(1):
        assert listing.count == 8
        assert [case.pk for case in listing.get_page(2)] == expected
