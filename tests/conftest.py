import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's async guard must
# be relaxed before pytest-django creates the test database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.scenario import Scenario, build_scenario  # noqa: E402


@pytest.fixture
def scenario(db) -> Scenario:
    """Two organisations with teams, services and people in every role (see scenario.py)."""
    return build_scenario()
