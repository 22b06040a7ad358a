"""The database settings for PostgreSQL: prepared statements, and joins planned in the
order written (qaportal/settings/base.py). Read in a fresh process with DATABASE_URL set
(nothing connects), and on the real server when the suite runs on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps(settings.DATABASES["default"]["OPTIONS"]))
"""


def _options(tmp_path, **extra: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qaportal.settings.dev",
        "QAPORTAL_RUN_DIR": str(tmp_path / "run"),
        "DATABASE_URL": "postgres://qaportal@127.0.0.1:1/qaportal",
        **extra,
    }
    for name in ("DATABASE_PREPARED_STATEMENTS", "DATABASE_JOIN_COLLAPSE_LIMIT"):
        if name not in extra:
            env.pop(name, None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_postgresql_prepares_statements_and_plans_joins_in_written_order(tmp_path):
    options = _options(tmp_path)
    assert options == {
        "server_side_binding": True,
        "prepare_threshold": 5,
        "options": "-c join_collapse_limit=1",
    }


def test_each_can_be_turned_back_to_postgresqls_own_behaviour(tmp_path):
    options = _options(
        tmp_path, DATABASE_PREPARED_STATEMENTS="false", DATABASE_JOIN_COLLAPSE_LIMIT="8"
    )
    assert options == {"options": "-c join_collapse_limit=8"}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on PostgreSQL only")
def test_the_server_plans_joins_in_written_order():
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        assert cursor.fetchone()[0] == "1"
