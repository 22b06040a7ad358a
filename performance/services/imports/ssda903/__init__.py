"""The DfE children looked after return (SSDA903): its header and episodes files.

How the return maps to the portal:

- The collection year is the one chosen on the upload form, or else the year (1 April
  to 31 March) of the file's latest DECOM or DEC. It sets the code lists the files are
  checked against (codes.YEARS): SEX is 1/2 up to 2023-24 and M/F/U from 2024-25; PLACE
  Z1 gave way to Z11-Z14 in 2025-26. A code outside its years is refused.
- Each header row is a child (reference = CHILD): SEX gives male, female or not known,
  DOB the date of birth, ETHNIC the ethnicity. A child new to the portal is named
  "Child <CHILD>" until the children template gives their names; names already held
  are kept.
- A child's episodes, in DECOM order, form periods of care: an episode whose REC is not
  X1 ends its period, and the next period starts with an RNE of S. Each period is one
  looked-after case (source_ref "903:<CHILD>:<first DECOM>"), open until the DEC of its
  last episode. A period whose first episode in the return is not RNE S started before
  it (carried over from an earlier return): it continues the child's case it shares
  most days with, and the child became looked after on that case's first day, unless an
  earlier return already said when.
- Events: became_looked_after as above; placement_order when LS turns E1;
  placement_started at each episode that starts a placement (RNE S, P, T, B or U), with
  its placement type from PLACE, and placed_for_adoption when that placement is A3-A6;
  placement_ended at a DEC followed by a new placement or ending care;
  ceased_looked_after at a DEC with a REC other than X1, and adoption_order when that
  REC is E11 or E12.
- The return is the whole picture of each child in it, for its year: a period continues
  the case an earlier import made of it even when a corrected return moves its DECOM or
  DEC, and the events and cases earlier imports made for the child over the span the
  return covers (from the child's first DECOM in it, or the year's start if earlier, to
  the year's end) that it no longer has are removed. A case that holds audits or events
  from elsewhere is closed instead. Records from other sources are never touched.
- The child's legal status is the LS of their latest episode.
- SSDA903 has no team: new cases go to the team chosen on the upload form. Cases already
  in the portal keep their team and worker.
"""

from __future__ import annotations

import datetime

from cases.models import Team
from performance.services.imports.ours import Source
from performance.services.imports.plan import Plan, existing_children
from performance.services.imports.ssda903.planning import PREFIX, plan_ssda903
from performance.services.imports.ssda903.reading import (
    CollectionYear,
    check_codes,
    check_order,
    collection_year,
    read_episodes,
    read_header,
)


def check_return(
    header_source: Source,
    episodes_source: Source,
    *,
    team: Team,
    stated_year: int | None,
    today: datetime.date,
) -> tuple[Plan | None, CollectionYear]:
    """Read and check both files: the plan (None when there are problems) and the
    collection year whose codes they were checked against."""
    organisation_id = header_source.organisation_id
    header = read_header(header_source)
    known = set(existing_children(organisation_id))
    by_child = read_episodes(episodes_source, header, known)
    year = collection_year(stated_year, by_child, today)
    check_codes(header_source, episodes_source, header, by_child, year)
    if not header_source.problems:
        check_order(episodes_source, by_child)
    if header_source.problems:
        return None, year
    return plan_ssda903(organisation_id, team, header, by_child, year), year


__all__ = ["PREFIX", "CollectionYear", "check_return"]
