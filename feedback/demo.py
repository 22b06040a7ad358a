"""A year of demo feedback for the demo region, run by `load_demo`.

Each organisation keeps a handful of themes (seed 002, 2.7: participation, the voice of
the child; seed 001's workforce feedback), and hears from children, parents, carers,
adopters, staff and partner agencies every month: in conversations, through audits and
practice weeks, in participation groups and, for the newer ones, through one-use links
the family answered themselves. Most have a response; the last few weeks' wait for one.
A few "you said, we did" entries pair what people said with what changed, most of them
published on the organisation's page for families.

Idempotent: an organisation that has feedback is left alone. Seeded and dated from
today: two loads on the same day agree.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.demo import names
from cases.demo.moments import days_after, working_moment
from cases.models import Case, FamilyLink, Organisation, StaffMember
from cases.roles import Role
from core.months import add_months, month_start
from feedback.models import (
    Channel,
    Feedback,
    FeedbackTheme,
    Sentiment,
    Source,
    YouSaidWeDid,
    sentiment_of,
)

SEED = "feedback"
MONTHS = 12
PER_MONTH = 10
# Feedback this recent waits for a response.
UNANSWERED_DAYS = 21

THEMES = (
    ("Being listened to", "Whether people felt heard, and their views made a difference"),
    ("Changes of worker", "How often the worker changed, and how changes were handled"),
    ("Keeping in touch", "Being told what is happening, calls and messages returned"),
    ("Meetings and plans", "Being involved in meetings, reviews and the plan"),
    ("Help that made a difference", "Support that changed things for the child or family"),
    ("Family time and contact", "Seeing brothers, sisters, parents and family"),
    ("Waiting and delay", "Waiting for assessments, decisions, panel or support"),
)

SAID = {
    Sentiment.POSITIVE: (
        ("My social worker always comes when she says she will and listens to me.", 0),
        ("Our worker explained everything in plain words and never made us feel judged.", 0),
        ("The family group conference helped us make our own plan for the children.", 4),
        ("I liked that I could choose where we met. It was easier to talk.", 3),
        ("Since the new worker started, things have really improved at home.", 4),
        ("Preparation training was brilliant: hearing from adopters made it real.", 4),
        ("The review was about me and I got to say what I wanted.", 3),
        ("Clear letters and a call the day before each meeting. Thank you.", 2),
    ),
    Sentiment.MIXED: (
        ("The help was good once it started but we waited a long time.", 6),
        ("I like my worker but I have had three this year.", 1),
        ("The plan is fine but nobody told me when contact with my brother would start.", 5),
        ("Panel was less scary than I expected but we heard nothing for two weeks after.", 6),
    ),
    Sentiment.NEGATIVE: (
        ("Nobody rang me back for a week when I was worried about my son.", 2),
        ("I keep having to tell my story again to new people.", 1),
        ("Meetings are at times I can't get to because of work.", 3),
        ("I didn't know what the plan was or what I had to do.", 3),
        ("We are still waiting for the adoption support assessment.", 6),
    ),
}
RESPONSES = (
    "Thanked them and shared it with the worker and team manager.",
    "The team manager called back within two days and agreed a named contact for the family.",
    "Apologised, explained the reason for the change of worker and arranged a handover visit.",
    "Raised at the team meeting; meetings are now offered after school and after work.",
    "Explained the plan in a letter written for the young person, and checked it with them.",
)
YOU_SAID = (
    (
        "You told us you had to repeat your story every time your worker changed.",
        "Workers now hold a handover visit with the new worker and you before they leave, and "
        "a one-page profile written with you goes with your case.",
        1,
    ),
    (
        "You said meetings were at times you could not get to.",
        "Reviews and conferences are now offered after school and after work, and online when "
        "that suits you better.",
        3,
    ),
    (
        "Young people said they did not understand the words in their plans.",
        "Plans are now written to the young person, in plain words, and checked with them.",
        3,
    ),
    (
        "Adopters said the wait after panel was hard, with no news.",
        "The agency decision is now made within seven working days and a worker calls you the "
        "same day.",
        6,
    ),
    (
        "You told us calls were not returned when you were worried.",
        "Every team has a duty worker who returns calls the same working day.",
        2,
    ),
)
ADULT_SOURCES = (Source.PARENT, Source.CARER, Source.ADOPTER, Source.BIRTH_PARENT)
CHANNELS = (Channel.CONVERSATION, Channel.AUDIT, Channel.OBSERVATION, Channel.EVENT, Channel.APP)


def load(*, stdout: Any, size: str) -> None:
    """Add a year of feedback to every organisation of the demo region."""
    today = timezone.localdate()
    organisations = Organisation.objects.filter(region__slug=names.REGION_SLUG).order_by("pk")
    for org in organisations:
        stdout.write(_load_organisation(org, today) + "\n")


@transaction.atomic
def _load_organisation(org: Organisation, today: datetime.date) -> str:
    if Feedback.objects.filter(organisation=org).exists():
        return f"{org.name}: feedback already loaded"
    rng = random.Random(f"{SEED}:{org.slug}:{today.isoformat()}")
    themes = [
        FeedbackTheme.objects.get_or_create(
            organisation=org, name=name, defaults={"description": description}
        )[0]
        for name, description in THEMES
    ]
    cases = list(
        Case.objects.filter(organisation=org)
        .select_related("team", "service", "child", "adopter")
        .order_by("pk")[:400]
    )
    if not cases:
        return f"{org.name}: no cases, no feedback"
    responders = list(
        StaffMember.objects.filter(
            organisation=org, role__in=[Role.TEAM_MANAGER, Role.QA, Role.BUSINESS_SUPPORT]
        ).order_by("pk")
    )
    first = month_start(add_months(today, -(MONTHS - 1)))
    made = []
    for n in range(MONTHS):
        month = add_months(first, n)
        for _ in range(PER_MONTH):
            day = days_after(month, rng.randint(0, 27))
            if day > today:
                continue
            made.append(_one(org, rng, day, today, cases, themes, responders))
    _pair(org, rng, today, themes, made)
    return f"{org.name}: {len(made)} pieces of feedback, {len(YOU_SAID)} you said, we did"


def _one(
    org: Organisation,
    rng: random.Random,
    day: datetime.date,
    today: datetime.date,
    cases: list[Case],
    themes: list[FeedbackTheme],
    responders: list[StaffMember],
) -> Feedback:
    sentiment = rng.choices(
        [Sentiment.POSITIVE, Sentiment.MIXED, Sentiment.NEGATIVE], weights=[5, 2, 2]
    )[0]
    said, theme_index = rng.choice(SAID[sentiment])
    roll = rng.random()
    case: Case | None = rng.choice(cases) if roll < 0.8 else None
    if case is not None and case.adopter_id:
        source = Source.ADOPTER
    elif case is not None:
        source = rng.choice([Source.CHILD, Source.CHILD, *ADULT_SOURCES[:2]])
    else:
        source = rng.choice([Source.STAFF, Source.PARTNER, Source.CARER])
    through_link = case is not None and source != Source.STAFF and rng.random() < 0.35
    link = None
    rating = None
    if through_link:
        assert case is not None
        rating = {Sentiment.POSITIVE: rng.choice([4, 5]), Sentiment.MIXED: 3}.get(
            sentiment, rng.choice([1, 2])
        )
        sentiment = sentiment_of(rating)
        created = working_moment(days_after(day, -rng.randint(1, 6)), rng)
        link = FamilyLink.objects.create(
            organisation=org,
            case=case,
            purpose="feedback",
            audience=(
                FamilyLink.Audience.CHILD if source == Source.CHILD else FamilyLink.Audience.ADULT
            ),
            token_digest=hashlib.sha256(f"demo:{org.slug}:{rng.random()}".encode()).hexdigest(),
            created_at=created,
            expires_at=created + datetime.timedelta(days=14),
            used_at=working_moment(day, rng),
        )
    answered = (today - day).days > UNANSWERED_DAYS and rng.random() < 0.9
    feedback = Feedback.objects.create(
        organisation=org,
        source=source,
        case=case,
        team=case.team if case else None,
        service=case.service if case else None,
        journey_stage=case.journey_stage if case else "",
        channel=Channel.LINK if link else rng.choice(CHANNELS),
        received_on=day,
        said=said,
        sentiment=sentiment,
        rating=rating,
        response=rng.choice(RESPONSES) if answered else "",
        responded_on=days_after(day, rng.randint(2, 15)) if answered else None,
        responded_by=rng.choice(responders) if answered and responders else None,
        link=link,
        created_at=working_moment(day, rng),
    )
    feedback.themes.add(themes[theme_index])
    if rng.random() < 0.3:
        feedback.themes.add(rng.choice(themes))
    return feedback


def _pair(
    org: Organisation,
    rng: random.Random,
    today: datetime.date,
    themes: list[FeedbackTheme],
    made: list[Feedback],
) -> None:
    for n, (you_said, we_did, theme_index) in enumerate(YOU_SAID):
        theme = themes[theme_index]
        entry = YouSaidWeDid.objects.create(
            organisation=org,
            you_said=you_said,
            we_did=we_did,
            theme=theme,
            # The newest is still a draft.
            published_on=None if n == 0 else days_after(today, -30 * n - rng.randint(0, 20)),
        )
        about = [f for f in made if f.sentiment != Sentiment.POSITIVE][n::7][:3]
        entry.feedback.add(*about)
