"""How far an import has got, written where the run page can read it at once.

While the file is checked no transaction is open, so `rows_done` is written to the run in
its own short (autocommit) transaction every EVERY rows. While the changes are saved, the
import's one transaction is open for a while: PostgreSQL takes the progress through a
second connection of its own; SQLite allows one writer at a time, and the import's
transaction holds it, so there the progress goes to a small file in the media folder
that the run page reads instead (SQLite means one machine, so the file is shared).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from performance.models import ImportRun

EVERY = 10_000


def progress_file(run_pk: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / str(run_pk)


def read_progress_file(run_pk: int) -> int | None:
    try:
        return int(progress_file(run_pk).read_text())
    except (OSError, ValueError):
        return None


class Progress:
    def __init__(self, run_pk: int, *, every: int | None = None) -> None:
        self.run_pk = run_pk
        self.every = every or EVERY
        self.next_mark = self.every
        self.total = 0
        self._side: BaseDatabaseWrapper | None = None

    def start(self, status: str, total: int) -> None:
        """A new phase (checking, then saving), counted from zero out of `total`."""
        self.total = total
        self.next_mark = self.every
        self._remove_file()
        ImportRun.objects.filter(pk=self.run_pk).update(
            status=status, rows_total=total, rows_done=0
        )

    def tick(self, done: int) -> None:
        if done >= self.next_mark:
            self.next_mark = done + self.every
            self.write(done)

    def write(self, done: int) -> None:
        done = min(done, self.total) if self.total else done
        if not connection.in_atomic_block:
            ImportRun.objects.filter(pk=self.run_pk).update(rows_done=done)
        elif connection.vendor == "postgresql":
            self._write_aside(done)
        else:
            self._write_file(done)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
        self._remove_file()

    def _write_aside(self, done: int) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = ImportRun._meta.db_table
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET rows_done = %s WHERE id = %s", [done, self.run_pk])

    def _write_file(self, done: int) -> None:
        path = progress_file(self.run_pk)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(str(done))
        os.replace(partial, path)

    def _remove_file(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            progress_file(self.run_pk).unlink()
