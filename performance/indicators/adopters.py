"""The adopter's journey, from enquiry to approval and match (One Adoption West
Yorkshire's lead indicators). These answer none of Durham's ten questions."""

from __future__ import annotations

from collections.abc import Iterator

from core.months import add_months
from performance.indicators.base import ADOPTER_JOURNEY, Fact, Indicator, Kind, Oba, Polarity
from performance.indicators.helpers import (
    counted,
    last_on_or_before,
    month_ends,
    paired,
)
from performance.indicators.source import Source


def enquiries_waiting(src: Source) -> Iterator[Fact]:
    """Each enquiry still waiting at the month's end: no stage one started, not withdrawn
    and its case still open."""
    started = src.by_case("stage_one_started")
    withdrawn = src.by_case("withdrawn")
    cases = {case.id: case for case in src.cases}
    enquiries = [e for e in src.events("enquiry") if e.adopter_id is not None]
    for month, day in month_ends(src.window, src.window.today):
        for enquiry in enquiries:
            case = cases.get(enquiry.case_id)
            if enquiry.occurred_on > day or case is None or not case.open_on(day):
                continue
            if last_on_or_before(started.get(enquiry.case_id, []), day):
                continue
            if last_on_or_before(withdrawn.get(enquiry.case_id, []), day):
                continue
            waited = (day - enquiry.occurred_on).days
            yield enquiry.fact(month_of=month, measure=waited, note=f"Waiting {waited} days")


def _stage_within(start_kind: str, end_kind: str, months: int):
    def facts(src: Source) -> Iterator[Fact]:
        for start, done in paired(src, start_kind, end_kind, by="case"):
            days = (done.occurred_on - start.occurred_on).days
            in_time = done.occurred_on <= add_months(start.occurred_on, months)
            yield done.fact(counted=in_time, measure=days, note=f"{days} days")

    return facts


def approval_to_match(src: Source) -> Iterator[Fact]:
    for approval, match in paired(src, "approval", "matched", by="case"):
        if match.adopter_id is None:
            continue
        days = (match.occurred_on - approval.occurred_on).days
        yield match.fact(measure=days, note=f"Approved {approval.occurred_on:%d %b %Y}")


def _adopter(**kwargs: object) -> Indicator:
    return Indicator(kpq=ADOPTER_JOURNEY, **kwargs)


INDICATORS = [
    _adopter(
        slug="adopter-enquiries",
        name="Adopter enquiries",
        definition="Enquiries from prospective adopters received in the month.",
        numerator="Enquiries received in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="enquiries",
        polarity=Polarity.NEITHER,
        oba=Oba.HOW_MUCH,
        stage="enquiry",
        facts=counted("enquiry", "adopter"),
    ),
    _adopter(
        slug="enquiries-waiting",
        name="Adopter enquiries waiting",
        definition="Enquiries at the end of the month with no stage one started, not "
        "withdrawn and still open: a lead indicator, as delay loses adopters.",
        numerator="Enquiries waiting at the month's end",
        denominator="",
        kind=Kind.COUNT,
        unit="enquiries",
        polarity=Polarity.LOWER,
        oba=Oba.HOW_WELL,
        stage="enquiry",
        facts=enquiries_waiting,
    ),
    _adopter(
        slug="stage-one-2-months",
        name="Stage one completed within two months",
        definition="Stage ones completed in the month within two months of starting.",
        numerator="Stage ones completed within two months",
        denominator="Stage ones completed in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        oba=Oba.HOW_WELL,
        stage="stage_one",
        facts=_stage_within("stage_one_started", "stage_one_completed", 2),
    ),
    _adopter(
        slug="stage-two-4-months",
        name="Stage two completed within four months",
        definition="Stage twos completed in the month within four months of starting.",
        numerator="Stage twos completed within four months",
        denominator="Stage twos completed in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        oba=Oba.HOW_WELL,
        stage="stage_two",
        facts=_stage_within("stage_two_started", "stage_two_completed", 4),
    ),
    _adopter(
        slug="adopters-approved",
        name="Adopters approved",
        definition="Households approved as adopters by the agency decision maker in the month.",
        numerator="Approvals in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="households",
        polarity=Polarity.NEITHER,
        oba=Oba.HOW_MUCH,
        stage="approved",
        facts=counted("approval", "adopter"),
    ),
    _adopter(
        slug="approval-to-match-days",
        name="Approval to match",
        definition="The mean number of days from approval to match, for adopters matched "
        "with a child in the month.",
        numerator="Days from approval for every household matched in the month, added up",
        denominator="Households matched in the month",
        kind=Kind.AVERAGE,
        unit="days",
        polarity=Polarity.LOWER,
        oba=Oba.BETTER_OFF,
        stage="matched",
        facts=approval_to_match,
    ),
]
