import contextlib
import datetime
import os
import zoneinfo
from collections.abc import Iterator

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; Django's async guard must
# be relaxed before pytest-django creates the test database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests import shared_scenario, testdb
from tests.scenario import Scenario
from tests.shared_scenario import World

# QAPORTAL_TEST_TODAY=YYYY-MM-DD runs the whole suite as if today were that day (the
# clock keeps ticking from 10:00 London time). `make test` uses it on CI to prove that no
# test depends on the real date: on one of the 1st of a month, 31 December, 1 January and
# 29 February, a different one each day (scripts/test.sh).
# Tests that freeze time themselves nest inside it.
_TRAVEL: list[time_machine.travel] = []


def pytest_configure(config: pytest.Config) -> None:
    today = os.environ.get("QAPORTAL_TEST_TODAY")
    if not today:
        return
    day = datetime.date.fromisoformat(today)
    moment = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=zoneinfo.ZoneInfo("Europe/London")
    )
    travel = time_machine.travel(moment, tick=True)
    travel.start()
    _TRAVEL.append(travel)


def pytest_unconfigure(config: pytest.Config) -> None:
    while _TRAVEL:
        _TRAVEL.pop().stop()


def pytest_report_header(config: pytest.Config) -> str | None:
    today = os.environ.get("QAPORTAL_TEST_TODAY")
    return f"running as if today were {today} (QAPORTAL_TEST_TODAY)" if today else None


@pytest.fixture(scope="module")
def _scenario_world(django_db_setup: None, django_db_blocker, request) -> Iterator[World]:
    world = shared_scenario.open_world(request, django_db_blocker)
    yield world
    shared_scenario.close_world()


@pytest.fixture
def scenario(_scenario_world: World, db: None) -> Scenario:
    """Two organisations with teams, services and people in every role (see scenario.py);
    built once for the module's tests that use it in a row (see shared_scenario.py)."""
    return shared_scenario.scenario_for(_scenario_world)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    shared_scenario.before_test(item)


@pytest.fixture(scope="session")
def _migrations_from_copy() -> Iterator[contextlib.ExitStack]:
    with contextlib.ExitStack() as stack:
        stack.enter_context(testdb.migrations_from_copy())
        yield stack


@pytest.fixture(scope="session")
def django_db_setup(_migrations_from_copy: contextlib.ExitStack, django_db_setup: None) -> None:
    """pytest-django's, copying the migrated schema kept by an earlier run (testdb.py)."""
    _migrations_from_copy.close()


@pytest.fixture
def migrator(transactional_db: None, django_db_use_migrations: bool) -> Iterator[object]:
    """django-test-migrations' migrator, whose clean-up puts the migrated schema back from
    the kept copy (testdb.py) rather than migrating forward again."""
    from django.db import DEFAULT_DB_ALIAS
    from django_test_migrations.migrator import Migrator

    if not django_db_use_migrations:
        pytest.skip("--nomigrations was specified")
    migrator = Migrator(DEFAULT_DB_ALIAS)
    yield migrator
    if not testdb.reset_schema(DEFAULT_DB_ALIAS):
        migrator.reset()
