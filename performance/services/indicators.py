"""Recomputing indicator values, nightly and by `manage.py indicators_recompute`.

For each organisation, every indicator's facts are worked out over the last
`MONTHS` months (performance/indicators/) and added up by month for the organisation,
each service and each team. The stored values are then brought in line with them: a
value that has not changed is not written, so a second run the same day changes nothing.
The facts themselves are stored beside the values, in the same transaction, so the
records behind a figure are read rather than worked out again, and always add up to it.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import blake2b
from typing import Any

from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.utils import timezone

from cases.models import Team
from core.batches import batched
from core.months import add_months, month_start
from performance.indicators import CATALOGUE, Fact, Indicator, Kind, Window, value_of
from performance.indicators.source import Source
from performance.models import IndicatorFact, IndicatorValue

logger = logging.getLogger(__name__)

MONTHS = 24
Level = IndicatorValue.Level
# (level, service id, team id, month). A team's key leaves the service out: a team is
# counted once, with every case it holds, even when some of them sit in another service.
Key = tuple[str, int | None, int | None, datetime.date]


@dataclass
class Tally:
    facts: int = 0
    counted: int = 0
    measured: int = 0
    workers: set[int] = field(default_factory=set)

    def add(self, fact: Fact) -> None:
        self.facts += 1
        self.counted += bool(fact.counted)
        self.measured += fact.measure or 0
        if fact.worker_id is not None:
            self.workers.add(fact.worker_id)

    def numbers(self, kind: str) -> tuple[int, int | None]:
        """(numerator, denominator) for an indicator of `kind`."""
        if kind == Kind.COUNT:
            return self.facts, None
        if kind == Kind.PERCENTAGE:
            return self.counted, self.facts
        if kind == Kind.AVERAGE:
            return self.measured, self.facts
        return self.facts, len(self.workers)


def window_for(organisation_id: int, day: datetime.date, months: int = MONTHS) -> Window:
    last = month_start(day)
    return Window(organisation_id, add_months(last, -(months - 1)), last, as_of=day)


def tally(facts: Iterable[Fact], window: Window) -> dict[Key, Tally]:
    """Facts added up for the organisation, each service and each team, by month. The
    organisation has a tally for every month of the window, even with nothing in it."""
    tallies: dict[Key, Tally] = defaultdict(Tally)
    for month in window.months():
        tallies[(Level.ORGANISATION, None, None, month)] = Tally()
    for fact in facts:
        if fact.month < window.first or fact.month > window.last:
            continue
        tallies[(Level.ORGANISATION, None, None, fact.month)].add(fact)
        tallies[(Level.SERVICE, fact.service_id, None, fact.month)].add(fact)
        tallies[(Level.TEAM, None, fact.team_id, fact.month)].add(fact)
    return tallies


Computed = dict[Key, tuple[int, int | None, float | None]]


def values_for(indicator: Indicator, source: Source) -> Computed:
    """(numerator, denominator, value) of `indicator` for every level and month."""
    return _values(indicator, tally(indicator.facts(source), source.window))


def _values(indicator: Indicator, tallies: dict[Key, Tally]) -> Computed:
    computed = {}
    for key, counts in tallies.items():
        numerator, denominator = counts.numbers(indicator.kind)
        computed[key] = (numerator, denominator, value_of(indicator.kind, numerator, denominator))
    return computed


def facts_in(indicator: Indicator, source: Source) -> list[Fact]:
    """The indicator's facts in the window's months: those its values count."""
    window = source.window
    return [fact for fact in indicator.facts(source) if window.first <= fact.month <= window.last]


def _store(
    organisation_id: int,
    slug: str,
    computed: dict,
    window: Window,
    team_services: dict[int, int],
) -> dict[str, int]:
    """Bring the stored values of one indicator in line with `computed`. A team's value
    is filed under the service the team belongs to now (`team_services`)."""
    now = timezone.now()
    stored = {
        (v.level, None if v.level == Level.TEAM else v.service_id, v.team_id, v.month): v
        for v in IndicatorValue.objects.filter(
            organisation_id=organisation_id, indicator=slug, month__gte=window.first
        )
    }
    create, update = [], []
    for key, (numerator, denominator, value) in computed.items():
        level, service_id, team_id, month = key
        if level == Level.TEAM:
            service_id = team_services.get(team_id)
        row = stored.pop(key, None)
        if row is None:
            create.append(
                IndicatorValue(
                    indicator=slug,
                    organisation_id=organisation_id,
                    level=level,
                    service_id=service_id,
                    team_id=team_id,
                    month=month,
                    numerator=numerator,
                    denominator=denominator,
                    value=value,
                    computed_at=now,
                )
            )
        elif (row.numerator, row.denominator, row.value, row.service_id) != (
            numerator,
            denominator,
            value,
            service_id,
        ):
            row.numerator, row.denominator, row.value = numerator, denominator, value
            row.service_id = service_id
            row.computed_at = now
            update.append(row)
    IndicatorValue.objects.bulk_create(create, batch_size=2000)
    fields = ["numerator", "denominator", "value", "service", "computed_at"]
    IndicatorValue.objects.bulk_update(update, fields, batch_size=2000)
    # Values for a team or service that no longer has anything counted that month.
    IndicatorValue.objects.filter(pk__in=[row.pk for row in stored.values()]).delete()
    return {"created": len(create), "updated": len(update), "deleted": len(stored)}


# What tells one stored fact from another: every field the recompute writes but the
# organisation and indicator it is filed under.
FactKey = tuple[datetime.date, int, int, int, bool, int | None, int | None, str]
FACT_FIELDS = (
    "month",
    "case_id",
    "team_id",
    "service_id",
    "counted",
    "measure",
    "worker_id",
    "note",
)
BATCH = 1000
DIGEST_BITS = 128


def _fact_key(fact: Fact) -> FactKey:
    return (
        fact.month,
        fact.case_id,
        fact.team_id,
        fact.service_id,
        bool(fact.counted),
        fact.measure,
        fact.worker_id,
        fact.note,
    )


def facts_digest(facts: Iterable[Fact]) -> str:
    """A fingerprint of a month's facts, whatever order they come in: the sum of each
    fact's hash, so the same facts (duplicates included) always give the same digest."""
    total = 0
    for fact in facts:
        digest = blake2b(repr(_fact_key(fact)).encode(), digest_size=DIGEST_BITS // 8)
        total += int.from_bytes(digest.digest())
    return f"{total % 2**DIGEST_BITS:0{DIGEST_BITS // 4}x}"


def _store_facts(
    organisation_id: int, slug: str, facts: list[Fact], window: Window
) -> dict[str, int]:
    """Bring the stored facts of one indicator in line with `facts`, month by month. Each
    month's digest is kept on the organisation's value for it: a month whose facts are
    the same as last time is not touched (an ordinary night reads no stored fact), and a
    month whose facts changed has them all replaced, so a changed fact's old self and the
    facts of a unit with nothing in it now go. Call after `_store`, which writes the
    organisation's value for every month of the window."""
    by_month: dict[datetime.date, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_month[fact.month].append(fact)
    values = IndicatorValue.objects.filter(
        organisation_id=organisation_id,
        indicator=slug,
        level=Level.ORGANISATION,
        month__gte=window.first,
        month__lte=window.last,
    )
    stored = dict(values.values_list("month", "facts_digest"))
    digests = {month: facts_digest(by_month.get(month, ())) for month in window.months()}
    changed = [month for month, digest in digests.items() if stored.get(month) != digest]
    if not changed:
        return {"created": 0, "deleted": 0}
    deleted, _ = IndicatorFact.objects.filter(
        organisation_id=organisation_id, indicator=slug, month__in=changed
    ).delete()
    new = (
        IndicatorFact(
            organisation_id=organisation_id,
            indicator=slug,
            **dict(zip(FACT_FIELDS, _fact_key(fact), strict=True)),
        )
        for month in changed
        for fact in by_month.get(month, ())
    )
    created = 0
    for batch in batched(new, BATCH):
        IndicatorFact.objects.bulk_create(batch)
        created += len(batch)
    # Every changed month's digest in one statement, not one a month.
    values.filter(month__in=changed).update(
        facts_digest=Case(
            *(When(month=month, then=Value(digests[month])) for month in changed),
            output_field=CharField(),
        )
    )
    return {"created": created, "deleted": deleted}


def recompute_organisation(organisation_id: int, day: datetime.date) -> dict[str, int]:
    """Recompute one organisation's values, and store the facts behind them, indicator by
    indicator: each indicator's values and facts are written in one transaction."""
    window = window_for(organisation_id, day)
    source = Source(window)
    team_services = dict(
        Team.objects.filter(organisation_id=organisation_id).values_list("pk", "service_id")
    )
    totals = {"created": 0, "updated": 0, "deleted": 0}
    fact_totals = {"created": 0, "deleted": 0}
    for slug, indicator in CATALOGUE.items():
        facts = facts_in(indicator, source)
        computed = _values(indicator, tally(facts, window))
        with transaction.atomic():
            stored = _store(organisation_id, slug, computed, window, team_services)
            for name, count in stored.items():
                totals[name] += count
            for name, count in _store_facts(organisation_id, slug, facts, window).items():
                fact_totals[name] += count
    logger.info("recompute_organisation %s %s: facts %s", organisation_id, day, fact_totals)
    return totals


JOB = "indicators_recompute"
COUNTS = ("created", "updated", "deleted", "proposals")


def indicators_recompute_organisation(
    *, organisation_id: int, day: datetime.date
) -> dict[str, Any]:
    """Recompute one organisation's indicator values, then let its alert rules propose
    focused audits (nightly, one Celery task per organisation)."""
    from performance.services.alerts import alert_rules_run

    started = time.monotonic()
    totals: dict[str, Any] = {"organisation": organisation_id}
    totals.update(recompute_organisation(organisation_id, day))
    alerts = alert_rules_run(day=day, organisation_id=organisation_id)
    totals["proposals"] = alerts["created"]
    totals["seconds"] = round(time.monotonic() - started, 2)
    return totals


def indicators_recompute(
    *, day: datetime.date, organisation_id: int | None = None
) -> dict[str, Any]:
    """Recompute every organisation (or only `organisation_id`) in this process, each under
    its own lock; return their counts added up."""
    from performance.services.organisations import run_for_each_organisation

    started = time.monotonic()
    totals = run_for_each_organisation(
        JOB,
        indicators_recompute_organisation,
        day=day,
        added=COUNTS,
        organisation_id=organisation_id,
    )
    totals["seconds"] = round(time.monotonic() - started, 2)
    logger.info("indicators_recompute %s: %s", day, totals)
    return totals
