"""Demo audit tools and a year of audits for the demo region, run by `load_demo`.

`load_demo` calls `load` (registered from `AuditsConfig.ready`) after it has built the case
data. For every organisation of the demo region it publishes the audit tools (a
collaborative practice review in each council, with a second version in the first one; an
adoption case file audit in the agency; a supervision audit and a thematic dip sample
everywhere), then audits done with them through the same services the pages use.

Idempotent: a tool is created only when its code is missing, and audits only for an
organisation that has none. `--size large` tops the first council up to LARGE_AUDITS
audits, written in bulk. Everything is seeded and dated from today, so two loads on the
same day give the same data.

The parts: `content.py`, the tools as the source documents describe them and the demo's
own words for answering them; `tools.py`, answering questions and publishing the tools;
`writing.py`, who audits what, the plan of each audit, and writing them (in bulk for the
large demo); this module, loading each organisation.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from typing import Any

from django.db import transaction
from django.utils import timezone

from audits.demo import supervision
from audits.demo.content import (
    ADOPTION_FILE,
    DIP_SAMPLE,
    FIRST_COUNCIL,
    PRACTICE_REVIEW,
    SEED,
    SUPERVISION,
)
from audits.demo.tools import ToolSet
from audits.demo.writing import (
    MIXES,
    Mix,
    People,
    Picker,
    Writer,
    _bulk_audits,
    _cases,
    _pinned_plans,
    _random_plans,
)
from audits.models import Audit, AuditTool
from cases.demo import names
from cases.models import Organisation

__all__ = ["ADOPTION_FILE", "DIP_SAMPLE", "PRACTICE_REVIEW", "SUPERVISION", "load"]

# --- Loading --------------------------------------------------------------------------


def _mix(org: Organisation) -> Mix:
    if org.kind == Organisation.Kind.ADOPTION_AGENCY:
        return MIXES["raa"]
    return MIXES["first" if org.slug == FIRST_COUNCIL else "council"]


def _write_audits(org: Organisation, tools: ToolSet, today: datetime.date) -> int:
    rng = random.Random(f"{SEED}:{org.slug}:audits")
    picker = Picker(_cases(org), People(org), rng)
    plans = _pinned_plans(picker, today)
    plans += _random_plans(picker, today, _mix(org), tools.main)
    plans.sort(key=lambda plan: (plan.created, plan.case.pk))
    writer = Writer(tools, rng, today)
    for plan in plans:
        writer.write(plan)
    return len(plans)


def _load_organisation(org: Organisation, size: str, today: datetime.date) -> str:
    with transaction.atomic():
        tools = ToolSet(org, today)
        created_tools = tools.ensure()
        written = 0
        if not Audit.objects.filter(organisation=org).exists():
            written = _write_audits(org, tools, today)
        tools.ensure_second_version()
        if size == "large" and org.slug == FIRST_COUNCIL:
            written += _bulk_audits(org, tools, today)
    return _report(org, created_tools, written)


def _report(org: Organisation, created_tools: int, written: int) -> str:
    statuses = Counter(Audit.objects.filter(organisation=org).values_list("status", flat=True))
    tools = AuditTool.objects.filter(organisation=org)
    by_status = ", ".join(
        f"{statuses[value]:,} {label.lower()}"
        for value, label in Audit.Status.choices
        if statuses[value]
    )
    return (
        f"{org.name}: {tools.filter(status=AuditTool.Status.PUBLISHED).count()} published "
        f"audit tools ({tools.count()} versions, {created_tools} new); "
        f"{sum(statuses.values()):,} audits ({by_status}; {written:,} new)"
    )


def load(*, stdout: Any, size: str) -> None:
    """Add the demo audit tools and audits to every organisation of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        stdout.write(_load_organisation(org, size, today) + "\n")
        stdout.write(supervision.load_organisation(org, today) + "\n")
