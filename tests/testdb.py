"""The migrated, empty test database, kept between runs so migrations run once.

Running every migration to create a test database costs about half a minute of rendering
model states, in each xdist worker of each pytest run; `make test` runs pytest several
times. The first creation keeps a copy of the migrated database (SQLite: a file under
.run/test-db/; PostgreSQL: a template database in the server), named by a hash of
everything the migrated schema depends on (every migration file, the models' permissions,
the installed apps, Django and the database's versions), and later creations copy it.
A change to any of these names another copy, so a stale schema is never used.

The migration tests (django-test-migrations' `migrator`) put the schema back the same way
after each test instead of migrating forward again, when a copy exists.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.db import connections

CACHE_DIR = Path(__file__).resolve().parent.parent / ".run" / "test-db"
# Copies of other schemas kept (other branches, recent changes).
KEEP = 6


def _schema_key(alias: str) -> str:
    from django.db.migrations.loader import MigrationLoader

    connection = connections[alias]
    digest = hashlib.sha256()
    for part in (
        django.__version__,
        connection.vendor,
        sqlite3.sqlite_version if connection.vendor == "sqlite" else "",
        repr(list(settings.INSTALLED_APPS)),
        repr(settings.MIGRATION_MODULES),
    ):
        digest.update(part.encode() + b"\0")
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key in sorted(loader.disk_migrations):
        module = sys.modules[loader.disk_migrations[key].__module__]
        digest.update(repr(key).encode())
        digest.update(Path(module.__file__ or "").read_bytes())
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        digest.update(
            repr((meta.label, meta.db_table, meta.default_permissions, meta.permissions)).encode()
        )
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(name: str) -> Iterator[None]:
    """One xdist worker at a time builds or copies a schema; the others wait for it."""
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _prune(vendor: str) -> None:
    copies = sorted(
        CACHE_DIR.glob(f"{vendor}-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for stale in copies[KEEP:]:
        stale.unlink(missing_ok=True)


# SQLite: the in-memory test database is copied to and from a file with SQLite's backup.


def _sqlite_copy(alias: str) -> Path:
    return CACHE_DIR / f"sqlite-{_schema_key(alias)}.sqlite3"


def _sqlite_restore(alias: str, copy: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    source = sqlite3.connect(copy)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    copy.touch()


def _sqlite_save(alias: str, copy: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    partial = copy.with_suffix(f".{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, copy)
    _prune("sqlite")


# PostgreSQL: a template database in the same server.


def _pg_template(alias: str) -> str:
    return f"qaportal_schema_{_schema_key(alias)}"


def _pg_exists(alias: str, name: str) -> bool:
    with connections[alias].creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _pg_copy(alias: str, source: str, target: str, *, drop_target: bool) -> None:
    connection = connections[alias]
    connection.close()
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        if drop_target:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)}")
        cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(source)}")


def _restore(alias: str) -> bool:
    """Copy the kept schema into the test database; False when there is none yet."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        copy = _sqlite_copy(alias)
        if not copy.exists():
            return False
        _sqlite_restore(alias, copy)
        return True
    if connection.vendor == "postgresql":
        template = _pg_template(alias)
        if not _pg_exists(alias, template):
            return False
        _pg_copy(alias, template, connection.settings_dict["NAME"], drop_target=True)
        return True
    return False


def _save(alias: str) -> None:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        _sqlite_save(alias, _sqlite_copy(alias))
    elif connection.vendor == "postgresql":
        _pg_copy(alias, connection.settings_dict["NAME"], _pg_template(alias), drop_target=False)


def _supported(alias: str) -> bool:
    connection = connections[alias]
    if connection.vendor == "sqlite":
        return connection.creation.is_in_memory_db(connection.settings_dict["NAME"])
    return connection.vendor == "postgresql"


def migrate_or_copy(alias: str, migrate: Callable[[], Any]) -> None:
    """Bring the new, empty test database `alias` to the migrated schema: a copy of the
    kept one when there is one, else by migrating (and keeping a copy for next time)."""
    if not _supported(alias):
        migrate()
        return
    with _locked(connections[alias].vendor):
        if _restore(alias):
            return
        migrate()
        _save(alias)


def reset_schema(alias: str) -> bool:
    """Put the migrated schema back (after a migration test); False when no copy is kept,
    and the caller migrates instead."""
    if not _supported(alias):
        return False
    with _locked(connections[alias].vendor):
        return _restore(alias)


@contextlib.contextmanager
def migrations_from_copy() -> Iterator[None]:
    """While test databases are created, `migrate` copies the kept schema when it can."""
    from django.core import management

    call_command = management.call_command

    def calling(name: Any, *args: Any, **options: Any) -> Any:
        if name == "migrate" and not args and options.get("run_syncdb"):
            alias = options.get("database", "default")
            migrate_or_copy(alias, lambda: call_command(name, *args, **options))
            return None
        return call_command(name, *args, **options)

    management.call_command = calling  # type: ignore[assignment]
    try:
        yield
    finally:
        management.call_command = call_command  # type: ignore[assignment]


def check_constraints_now(alias: str = "default") -> None:
    """Check the deferred constraints of what the open transaction has written so far, now.

    For rows a module writes once in a transaction left open for its tests (the shared
    scenario, the loaded demo). Each test ends by checking deferred constraints (Django's
    TestCase, inside the test's savepoint); on PostgreSQL, rolling that savepoint back
    marks every check it fired as pending again, so without this every test would check
    the whole module's rows once more: about 2 s a test after `load_demo`. Checked here,
    at the transaction's own level, they are done for good, and each test checks only its
    own rows, as it would after a fresh build. SQLite checks every table's foreign keys.
    """
    connections[alias].check_constraints()
