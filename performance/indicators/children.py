"""The child's journey from the front door to child protection and care proceedings:
Key Performance Questions 1, 2, 3, 6 and 7."""

from __future__ import annotations

from collections.abc import Iterator

from core.dates import working_days_between
from core.months import add_months
from performance.indicators.base import Fact, Indicator, Kind, Oba, Polarity
from performance.indicators.helpers import (
    counted,
    first_on_or_after,
    in_window,
    last_before,
    paired,
)
from performance.indicators.source import Source


def referral_decisions(src: Source) -> Iterator[Fact]:
    """Each referral, counted when an assessment started within one working day."""
    starts = src.by_child("assessment_started")
    for referral in in_window(src.events("referral"), src.window):
        start = first_on_or_after(starts.get(referral.child_id, []), referral.occurred_on)
        days = working_days_between(referral.occurred_on, start.occurred_on) if start else None
        if days is None or days > 1:
            if working_days_between(referral.occurred_on, src.window.today) <= 1:
                continue  # still within its day
            yield referral.fact(counted=False, note="No assessment within one working day")
        else:
            yield referral.fact(counted=True, measure=days, note=f"{days} working days")


def re_referrals(src: Source) -> Iterator[Fact]:
    """Each referral, counted when the child was referred in the 12 months before."""
    by_child = src.by_child("referral")
    for referral in in_window(src.events("referral"), src.window):
        earlier = last_before(by_child.get(referral.child_id, []), referral.occurred_on)
        again = earlier is not None and earlier.occurred_on >= add_months(referral.occurred_on, -12)
        note = f"Previous referral {earlier.occurred_on:%d %b %Y}" if again else ""
        yield referral.fact(counted=again, note=note)


def seen_after_referral(src: Source) -> Iterator[Fact]:
    """Each referral, counted when the child was seen within five working days."""
    visits = {
        child: [v for v in events if v.seen] for child, events in src.by_child("visit").items()
    }
    for referral in in_window(src.events("referral"), src.window):
        visit = first_on_or_after(visits.get(referral.child_id, []), referral.occurred_on)
        days = working_days_between(referral.occurred_on, visit.occurred_on) if visit else None
        if days is not None and days <= 5:
            yield referral.fact(counted=True, measure=days, note=f"Seen in {days} working days")
        elif working_days_between(referral.occurred_on, src.window.today) > 5:
            yield referral.fact(counted=False, note="Not seen within five working days")


def assessment_durations(src: Source) -> Iterator[Fact]:
    """Each assessment completed, with the working days since it started."""
    for start, done in paired(src, "assessment_started", "assessment_completed", by="case"):
        days = working_days_between(start.occurred_on, done.occurred_on)
        yield done.fact(counted=days <= 45, measure=days, note=f"{days} working days")


def strategy_to_s47(src: Source) -> Iterator[Fact]:
    for strategy, done in paired(src, "strategy_discussion", "s47_completed", by="case"):
        days = working_days_between(strategy.occurred_on, done.occurred_on)
        yield done.fact(measure=days, note=f"{days} working days")


def icpc_timeliness(src: Source) -> Iterator[Fact]:
    for strategy, icpc in paired(src, "strategy_discussion", "icpc", by="child"):
        days = working_days_between(strategy.occurred_on, icpc.occurred_on)
        yield icpc.fact(counted=days <= 15, measure=days, note=f"{days} working days")


def s47_to_icpc(src: Source) -> Iterator[Fact]:
    """Each S47 enquiry completed, counted when an ICPC followed within 30 working days."""
    conferences = src.by_child("icpc")
    for done in in_window(src.events("s47_completed"), src.window):
        icpc = first_on_or_after(conferences.get(done.child_id, []), done.occurred_on)
        days = working_days_between(done.occurred_on, icpc.occurred_on) if icpc else None
        if days is not None and days <= 30:
            yield done.fact(counted=True, note=f"Conference {icpc.occurred_on:%d %b %Y}")
        elif working_days_between(done.occurred_on, src.window.today) > 30:
            yield done.fact(counted=False, note="No conference")


def cp_plan_repeats(src: Source) -> Iterator[Fact]:
    plans = src.by_child("cp_plan_started")
    for plan in in_window(src.events("cp_plan_started"), src.window):
        earlier = last_before(plans.get(plan.child_id, []), plan.occurred_on)
        note = f"Previous plan {earlier.occurred_on:%d %b %Y}" if earlier else ""
        yield plan.fact(counted=earlier is not None, note=note)


def cp_plan_lengths(src: Source) -> Iterator[Fact]:
    for start, end in paired(src, "cp_plan_started", "cp_plan_ended", by="child"):
        days = (end.occurred_on - start.occurred_on).days
        yield end.fact(counted=days >= 730, measure=days, note=f"{days} days")


CATEGORIES = ("neglect", "emotional abuse", "physical abuse", "sexual abuse")


def category_of(outcome: str) -> str:
    """The category of abuse named in a conference's outcome, or "" when none is named."""
    text = outcome.lower()
    found = [category for category in CATEGORIES if category in text]
    return "multiple" if len(found) > 1 else (found[0] if found else "")


def plans_in_category(*categories: str):
    def facts(src: Source) -> Iterator[Fact]:
        for icpc in in_window(src.events("icpc"), src.window):
            category = category_of(icpc.outcome)
            if category:
                yield icpc.fact(counted=category in categories, note=category.capitalize())

    return facts


def proceedings_lengths(src: Source) -> Iterator[Fact]:
    pairs = paired(src, "care_proceedings_issued", "care_proceedings_concluded", by="child")
    for start, done in pairs:
        days = (done.occurred_on - start.occurred_on).days
        yield done.fact(counted=days <= 182, measure=days, note=f"{days} days ({days // 7} weeks)")


INDICATORS = [
    Indicator(
        slug="referrals",
        name="Referrals received",
        definition="Referrals to children's social care received in the month.",
        numerator="Referrals with a date in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="referrals",
        polarity=Polarity.NEITHER,
        kpq=1,
        oba=Oba.HOW_MUCH,
        stage="referral",
        facts=counted("referral"),
    ),
    Indicator(
        slug="referral-decision-1-day",
        name="Referrals progressed within one working day",
        definition="Referrals where the assessment started within one working day of the "
        "referral (weekends and bank holidays not counted). Referrals still within their "
        "day are left out until it has passed.",
        numerator="Referrals with an assessment started within one working day",
        denominator="Referrals received in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=1,
        oba=Oba.HOW_WELL,
        stage="referral",
        facts=referral_decisions,
    ),
    Indicator(
        slug="re-referrals-12-months",
        name="Re-referrals within 12 months",
        definition="Referrals of a child who had been referred in the 12 months before.",
        numerator="Referrals with an earlier referral of the same child in the 12 months before",
        denominator="Referrals received in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.LOWER,
        kpq=1,
        oba=Oba.BETTER_OFF,
        stage="referral",
        facts=re_referrals,
    ),
    Indicator(
        slug="seen-within-5-days",
        name="Children seen within five working days of referral",
        definition="Referrals where a visit saw the child within five working days. "
        "Referrals still inside the five days are left out until they have passed.",
        numerator="Referrals with the child seen within five working days",
        denominator="Referrals received in the month whose five days have passed",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=1,
        oba=Oba.HOW_WELL,
        stage="referral",
        facts=seen_after_referral,
    ),
    Indicator(
        slug="assessments-completed",
        name="Assessments completed",
        definition="Children and family assessments completed in the month.",
        numerator="Assessments completed in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="assessments",
        polarity=Polarity.NEITHER,
        kpq=2,
        oba=Oba.HOW_MUCH,
        stage="assessment",
        facts=counted("assessment_completed"),
    ),
    Indicator(
        slug="assessments-45-days",
        name="Assessments completed within 45 working days",
        definition="Assessments completed in the month within 45 working days of starting.",
        numerator="Assessments completed within 45 working days",
        denominator="Assessments completed in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=2,
        oba=Oba.HOW_WELL,
        stage="assessment",
        facts=assessment_durations,
    ),
    Indicator(
        slug="assessment-working-days",
        name="Average length of assessments",
        definition="The mean number of working days from the start of an assessment to its "
        "completion, for assessments completed in the month.",
        numerator="Working days of every assessment completed in the month, added up",
        denominator="Assessments completed in the month",
        kind=Kind.AVERAGE,
        unit="working days",
        polarity=Polarity.LOWER,
        kpq=2,
        oba=Oba.HOW_WELL,
        stage="assessment",
        facts=assessment_durations,
    ),
    Indicator(
        slug="s47-enquiries",
        name="Section 47 enquiries started",
        definition="Section 47 enquiries started in the month.",
        numerator="Section 47 enquiries started in the month",
        denominator="",
        kind=Kind.COUNT,
        unit="enquiries",
        polarity=Polarity.NEITHER,
        kpq=3,
        oba=Oba.HOW_MUCH,
        stage="child_protection",
        facts=counted("s47_started"),
    ),
    Indicator(
        slug="strategy-to-s47-days",
        name="Strategy discussion to section 47 completion",
        definition="The mean number of working days from the strategy discussion to the "
        "completion of the section 47 enquiry, for enquiries completed in the month.",
        numerator="Working days of every enquiry completed in the month, added up",
        denominator="Section 47 enquiries completed in the month after a strategy discussion",
        kind=Kind.AVERAGE,
        unit="working days",
        polarity=Polarity.LOWER,
        kpq=3,
        oba=Oba.HOW_WELL,
        stage="child_protection",
        facts=strategy_to_s47,
    ),
    Indicator(
        slug="icpc-15-days",
        name="Initial conferences within 15 working days",
        definition="Initial child protection conferences held within 15 working days of the "
        "strategy discussion that started the enquiry.",
        numerator="Conferences held within 15 working days of the strategy discussion",
        denominator="Initial conferences held in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=3,
        oba=Oba.HOW_WELL,
        stage="child_protection",
        facts=icpc_timeliness,
    ),
    Indicator(
        slug="s47-to-icpc",
        name="Section 47 enquiries leading to a conference",
        definition="Section 47 enquiries completed in the month that led to an initial child "
        "protection conference within 30 working days: are the right children in the "
        "child protection process?",
        numerator="Enquiries followed by an initial conference within 30 working days",
        denominator="Section 47 enquiries completed in the month whose 30 days have passed",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.NEITHER,
        kpq=3,
        oba=Oba.HOW_WELL,
        stage="child_protection",
        facts=s47_to_icpc,
    ),
    Indicator(
        slug="cp-plans-second-time",
        name="Child protection plans for a second or later time",
        definition="Child protection plans started in the month for a child who had been on "
        "a plan before.",
        numerator="Plans started for a child with an earlier plan",
        denominator="Child protection plans started in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.LOWER,
        kpq=3,
        oba=Oba.BETTER_OFF,
        stage="child_protection",
        facts=cp_plan_repeats,
    ),
    Indicator(
        slug="cp-plans-2-years",
        name="Child protection plans lasting two years or more",
        definition="Child protection plans ending in the month that had lasted two years "
        "(730 days) or more.",
        numerator="Plans ended after two years or more",
        denominator="Child protection plans ended in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.LOWER,
        kpq=3,
        oba=Oba.BETTER_OFF,
        stage="child_protection",
        facts=cp_plan_lengths,
    ),
    Indicator(
        slug="cp-category-neglect",
        name="New child protection plans for neglect",
        definition="Initial conferences in the month that made a plan under the category of "
        "neglect, out of those that made a plan with a category recorded.",
        numerator="Plans under the category of neglect",
        denominator="Plans made at initial conferences in the month with a category",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.NEITHER,
        kpq=6,
        oba=Oba.HOW_MUCH,
        stage="child_protection",
        facts=plans_in_category("neglect"),
    ),
    Indicator(
        slug="cp-category-emotional",
        name="New child protection plans for emotional abuse",
        definition="Initial conferences in the month that made a plan under the category of "
        "emotional abuse, out of those that made a plan with a category recorded.",
        numerator="Plans under the category of emotional abuse",
        denominator="Plans made at initial conferences in the month with a category",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.NEITHER,
        kpq=6,
        oba=Oba.HOW_MUCH,
        stage="child_protection",
        facts=plans_in_category("emotional abuse"),
    ),
    Indicator(
        slug="cp-category-physical-sexual",
        name="New child protection plans for physical or sexual abuse",
        definition="Initial conferences in the month that made a plan under the category of "
        "physical abuse or sexual abuse, out of those that made a plan with a category "
        "recorded.",
        numerator="Plans under the category of physical or sexual abuse",
        denominator="Plans made at initial conferences in the month with a category",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.NEITHER,
        kpq=6,
        oba=Oba.HOW_MUCH,
        stage="child_protection",
        facts=plans_in_category("physical abuse", "sexual abuse"),
    ),
    Indicator(
        slug="care-proceedings-26-weeks",
        name="Care proceedings concluded within 26 weeks",
        definition="Care proceedings concluded in the month within 26 weeks (182 days) of "
        "being issued.",
        numerator="Proceedings concluded within 26 weeks",
        denominator="Care proceedings concluded in the month",
        kind=Kind.PERCENTAGE,
        unit="%",
        polarity=Polarity.HIGHER,
        kpq=7,
        oba=Oba.HOW_WELL,
        stage="looked_after",
        facts=proceedings_lengths,
    ),
    Indicator(
        slug="care-proceedings-days",
        name="Average length of care proceedings",
        definition="The mean number of days from issue to conclusion of care proceedings "
        "concluded in the month.",
        numerator="Days of every set of proceedings concluded in the month, added up",
        denominator="Care proceedings concluded in the month",
        kind=Kind.AVERAGE,
        unit="days",
        polarity=Polarity.LOWER,
        kpq=7,
        oba=Oba.HOW_WELL,
        stage="looked_after",
        facts=proceedings_lengths,
    ),
]
