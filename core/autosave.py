"""What an autosaving form's save answers with: what was saved, the revisions the page
now holds, and each conflict (someone else saved the same field after the editor loaded
it; their text and the editor's both kept). Shared by every app with long forms."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass
class Conflict:
    """Someone else saved this answer (or field) after the editor loaded it."""

    key: str
    label: str
    theirs: str
    yours: str
    their_revision: int
    changed_by: str
    changed_at: datetime.datetime | None
    # The editor saved it themselves, from another tab or window: not "someone else".
    by_you: bool = False


@dataclass
class SaveResult:
    saved: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    revisions: dict[str, int] = field(default_factory=dict)

    @property
    def conflicts_by_others(self) -> list[Conflict]:
        return [conflict for conflict in self.conflicts if not conflict.by_you]
