"""The `scenario` fixture's world, built once for a run of tests in a module.

Building the scenario (tests/scenario.py) costs several hundred queries, and about 460
tests use it: rebuilding it for each cost a third of the suite's time, in every pass of
`make test`. Instead it is built once, in a transaction left open while the module's
tests that use it run, one after another; each of them runs in a savepoint inside it
(pytest-django's), so whatever a test writes is undone before the next, and each gets its
own copy of the scenario's Python objects, unpickled from the state they had when built
(as Django's `setUpTestData` gives each test a deep copy of its class's objects).

A test gets exactly what a fresh build would give it, or a fresh build:
- the transaction is rolled back before any other test that uses the database runs, so
  no other test ever sees the scenario's rows (the next test that uses the scenario
  builds it again), and before any test that needs real transactions (transactional_db,
  live_server, migrations);
- a test whose fixtures moved the clock (time-machine) or changed settings before the
  scenario is asked for gets a fresh build under them, as before;
- the outbox holds, as before, the mail the build sent;
- a scenario whose objects cannot be pickled is built afresh for each test.
"""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import transaction

from tests import testdb
from tests.scenario import Scenario, build_scenario

# The fixture that holds the world; tests that use tests/conftest.py's `scenario` have it.
WORLD_FIXTURE = "_scenario_world"
_TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "migrator",
    "migrator_factory",
}


def uses_database(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in fixtures


def needs_transactions(item: pytest.Item) -> bool:
    if _TRANSACTIONAL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    return bool(
        marker.kwargs.get("transaction")
        or (marker.args and marker.args[0])
        or marker.kwargs.get("reset_sequences")
        or marker.kwargs.get("serialized_rollback")
    )


# Fixtures of tests/conftest.py known not to move the clock or change settings.
_KNOWN = {"scenario", WORLD_FIXTURE, "django_db_setup", "_migrations_from_copy", "migrator"}
# Test modules' fixtures that move no clock, change no settings and touch nothing the
# scenario's build reads or writes, so a test may share the scenario after them: each
# empties or patches something the build never uses (building the scenario leaves the
# cache and the filter forms' kept markup empty, and it writes its report with the
# fixture builder directly, not through report_builders.KINDS). Sharing spares these
# 85 tests a build each, in every pass of `make test`.
_HARMLESS = {
    "tests.audits.test_family_link._no_rate_limit_left_over",  # cache.clear()
    "tests.core.test_filter_forms.nothing_kept",  # filter_forms._kept.clear()
    "tests.governance.test_reports.builders",  # patches report_builders.KINDS
    "tests.governance.test_reports_pages.builders",
}


def _set_up_before_scenario(item: pytest.Item) -> list[str]:
    """The project's own fixtures of this test (tests/...) that need no scenario, so may
    be set up before it: any of them might move the clock or change settings."""
    definitions = item._fixtureinfo.name2fixturedefs  # type: ignore[attr-defined]

    def needs_scenario(name: str, seen: set[str]) -> bool:
        if name == "scenario":
            return True
        if name in seen or name not in definitions:
            return False
        seen.add(name)
        return any(needs_scenario(arg, seen) for arg in definitions[name][-1].argnames)

    found = []
    for name in item.fixturenames:  # type: ignore[attr-defined]
        if name in _KNOWN or name not in definitions:
            continue
        module = getattr(definitions[name][-1].func, "__module__", "") or ""
        if f"{module}.{name}" in _HARMLESS:
            continue
        if module.split(".")[0] == "tests" and not needs_scenario(name, set()):
            found.append(name)
    return found


def may_share(item: pytest.Item) -> bool:
    return (
        WORLD_FIXTURE in getattr(item, "fixturenames", ())
        and not needs_transactions(item)
        and item.get_closest_marker("time_machine") is None
        and not _set_up_before_scenario(item)
    )


def _clock() -> tuple[int, ...]:
    return tuple(id(traveller) for traveller in time_machine.traveller_stack)


class World:
    """The scenario of one module, and the open transaction its rows are in."""

    def __init__(self, module: str, blocker: Any) -> None:
        self.module = module
        self._blocker = blocker
        self._atomic: Any = None
        self._frozen: bytes | None = None
        self._outbox: list[Any] = []
        self._clock: tuple[int, ...] = ()
        self._settings: object = None

    @property
    def open(self) -> bool:
        return self._atomic is not None

    def build(self) -> None:
        """Open the transaction and build the scenario in it, unless another transaction
        (a module's own rolled-back data) is open: then each test builds its own."""
        assert self._atomic is None
        with self._blocker.unblock():
            if transaction.get_connection().in_atomic_block:
                return
            self._atomic = transaction.atomic()
            self._atomic.__enter__()
            try:
                sent = len(mail.outbox)
                self._clock = _clock()
                self._settings = settings._wrapped
                scenario = build_scenario()
                testdb.check_constraints_now()
                self._outbox = mail.outbox[sent:]
                del mail.outbox[sent:]
                try:
                    self._frozen = pickle.dumps(scenario, protocol=pickle.HIGHEST_PROTOCOL)
                except (pickle.PicklingError, TypeError, AttributeError):
                    self._frozen = None
            except BaseException:
                self.close()
                raise
        if self._frozen is None:
            self.close()

    def close(self) -> None:
        if self._atomic is None:
            return
        atomic, self._atomic, self._frozen = self._atomic, None, None
        with self._blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def copy(self) -> Scenario | None:
        """A fresh copy of the scenario, or None when this test must build its own."""
        if self._frozen is None:
            return None
        if _clock() != self._clock or settings._wrapped is not self._settings:
            raise RuntimeError(
                "The clock moved or settings changed before the shared scenario was asked "
                "for, by a fixture tests/shared_scenario.py does not know: add it to "
                "_set_up_before_scenario's checks."
            )
        mail.outbox.extend(copy.deepcopy(self._outbox))
        return pickle.loads(self._frozen)


_current: World | None = None
_item: pytest.Item | None = None


def open_world(request: pytest.FixtureRequest, blocker: Any) -> World:
    """The module fixture's world, built now if the test asking for it may share it."""
    global _current
    close_world()
    world = World(request.module.__name__, blocker)
    _current = world
    if _item is not None and may_share(_item):
        world.build()
    return world


def close_world() -> None:
    global _current
    if _current is not None:
        _current.close()
        _current = None


def before_test(item: pytest.Item) -> None:
    """Before a test's fixtures: keep the open world only for a test that shares it (or
    that touches no database), and open its module's world again for one that may."""
    global _item
    _item = item
    world = _current
    if world is None:
        return
    module = getattr(item, "module", None)
    if module is None or module.__name__ != world.module:
        close_world()
    elif may_share(item):
        if not world.open:
            world.build()
    elif uses_database(item) or needs_transactions(item):
        world.close()


def scenario_for(world: World) -> Scenario:
    shared = world.copy() if world.open else None
    return shared if shared is not None else build_scenario()
