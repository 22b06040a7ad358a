"""One-use family links: made by staff from a case, opened by a child, parent or adopter
without an account, answered once (cases.FamilyLink).

The token is 32 random bytes, shown once to the member of staff who makes the link and
kept only as a SHA-256 digest, so neither the database nor a page can give it back. A
link opens while it is unused, unexpired and not withdrawn, and only for a purpose an
app has registered (`core.registry.link_purposes`); anything else, a guessed token
included, gets the same "link not valid" answer. Answering stores the answers and marks
the link used in one transaction, the link's row locked, so two submissions of one link
store one answer. The public pages are rate-limited per address.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, FamilyLink, StaffMember
from core import registry
from core.types import AnyUser

# How long a link stays open unless staff choose otherwise, and the longest they may.
DEFAULT_DAYS = 14
MAX_DAYS = 60
# Requests to the public link pages from one address in a window, and how many of them
# may be for links that do not open (guesses) before the address is refused for a while.
RATE_WINDOW_SECONDS = 10 * 60
RATE_MAX_REQUESTS = 60
RATE_MAX_INVALID = 10


class LinkError(Exception):
    """A link cannot be made or changed as asked; the message says why, for the page."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_url(token: str) -> str:
    """The whole address to give the family."""
    base = settings.QAPORTAL_SITE_URL.rstrip("/")
    return base + reverse("family_link", kwargs={"token": token})


@dataclass(frozen=True)
class NewLink:
    link: FamilyLink
    token: str

    @property
    def url(self) -> str:
        return link_url(self.token)


def family_link_create(
    *,
    case: Case,
    purpose: str,
    created_by: StaffMember | None,
    days: int = DEFAULT_DAYS,
    audience: str = FamilyLink.Audience.ADULT,
    recipient: str = "",
    target_id: int | None = None,
) -> NewLink:
    """A new link for `case`; the token comes back once, in the result, and is not kept."""
    if registry.link_purpose(purpose) is None:
        raise LinkError(f"Nothing is registered to open links for {purpose!r}.")
    if not 1 <= days <= MAX_DAYS:
        raise LinkError(f"A link can stay open for 1 to {MAX_DAYS} days.")
    if audience not in FamilyLink.Audience.values:
        raise LinkError("Choose who the link is for.")
    token = secrets.token_urlsafe(32)
    link = FamilyLink.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        purpose=purpose,
        target_id=target_id,
        audience=audience,
        recipient=recipient.strip()[:80],
        token_digest=token_digest(token),
        created_by=created_by,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return NewLink(link=link, token=token)


def family_link_withdraw(*, link: FamilyLink) -> FamilyLink:
    """Stop an unused link from opening (given to the wrong person, no longer wanted)."""
    with transaction.atomic():
        link = FamilyLink.objects.select_for_update().get(pk=link.pk)
        if link.used_at is not None:
            raise LinkError("This link has been used: its answers are kept.")
        if link.withdrawn_at is None:
            link.withdrawn_at = timezone.now()
            link.save(update_fields=["withdrawn_at"])
    return link


def _open_links() -> QuerySet[FamilyLink]:
    return FamilyLink.objects.filter(
        used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
    )


def family_link_open(token: str) -> FamilyLink | None:
    """The link `token` opens, or None: used, expired, withdrawn, unknown or guessed."""
    if not token or len(token) > 100:
        return None
    link = (
        _open_links()
        .select_related("organisation", "case")
        .filter(token_digest=token_digest(token))
        .first()
    )
    if link is None or registry.link_purpose(link.purpose) is None:
        return None
    return link


def family_link_form(link: FamilyLink, data: Any = None) -> Any:
    purpose = registry.link_purpose(link.purpose)
    assert purpose is not None
    return purpose.form(link, data)


@dataclass(frozen=True)
class Answer:
    """What answering a link came to: `link` None when it no longer opens (used meanwhile),
    else the form, valid and saved when `saved`."""

    link: FamilyLink | None
    form: Any
    saved: bool


def family_link_answer(*, token: str, data: Any) -> Answer:
    """Validate and store a family's answers, and use the link up: all or nothing."""
    with transaction.atomic():
        digest = token_digest(token) if token and len(token) <= 100 else ""
        link = (
            _open_links()
            .select_for_update(of=("self",))
            .select_related("organisation", "case")
            .filter(token_digest=digest)
            .first()
        )
        purpose = registry.link_purpose(link.purpose) if link is not None else None
        if link is None or purpose is None:
            return Answer(link=None, form=None, saved=False)
        form = purpose.form(link, data)
        if not form.is_valid():
            return Answer(link=link, form=form, saved=False)
        purpose.save(link, form)
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return Answer(link=link, form=form, saved=True)


def allow_request(address: str, *, invalid: bool = False) -> bool:
    """Count one request to the public link pages from `address` (and, with `invalid`, one
    for a link that did not open); False once the address is over either limit."""
    window = int(timezone.now().timestamp()) // RATE_WINDOW_SECONDS
    requests_key = f"family-link:requests:{address}:{window}"
    invalid_key = f"family-link:invalid:{address}:{window}"
    cache.add(requests_key, 0, RATE_WINDOW_SECONDS)
    requests = cache.incr(requests_key)
    if invalid:
        cache.add(invalid_key, 0, RATE_WINDOW_SECONDS)
        guesses = cache.incr(invalid_key)
    else:
        guesses = cache.get(invalid_key, 0)
    return requests <= RATE_MAX_REQUESTS and guesses <= RATE_MAX_INVALID


def links_for(
    *, user: AnyUser, case: Case, purpose: str, target_id: int | None = None
) -> QuerySet[FamilyLink]:
    """The links made for one purpose (and record) on a case the user sees, newest first."""
    links = FamilyLink.objects.visible_to(user).filter(case=case, purpose=purpose)
    if target_id is not None:
        links = links.filter(target_id=target_id)
    return links.select_related("created_by__user")
