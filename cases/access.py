"""The access log's one door: who was shown or sent which children's and adopters' details.

A view notes what a response shows with `access_note(request, ...)`: the child or adopter
of a record or an audit, the cases on a page of a list, the cases in an export.
AccessLogMiddleware then writes one entry for the response listing all of them (see
`access_log_write`), and only when the response did show them. The URL walk in
tests/test_access.py fails for any page or download that shows the scenario's child or
adopter without writing an entry, so a new view cannot forget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from cases import services
from cases.models import AccessLog, Adopter, Case, Child

if TYPE_CHECKING:
    from core.types import AnyUser

Action = AccessLog.Action
# One entry per response has one action: the one that says most about what left the page.
STRENGTH: dict[str, int] = {Action.VIEWED: 0, Action.SEARCHED: 1, Action.DOWNLOADED: 2}
# Responses that show what the view noted: a page or a download, and a form shown again
# with its errors (400) or with someone else's change beside it (409). Refusals (403, 404,
# 405), redirects and server errors show nothing, whatever the view noted before.
SHOWN = frozenset({400, 409})
ATTRIBUTE = "_access_notes"


class AccessNotes:
    """What one response shows: (organisation, child, adopter) of each record, and
    querysets of cases (an export) resolved in one query each when the entry is written."""

    def __init__(self) -> None:
        self.action: str = Action.VIEWED
        self.subjects: set[services.Subject] = set()
        self.case_querysets: list[QuerySet[Case]] = []

    def __bool__(self) -> bool:
        return bool(self.subjects or self.case_querysets)

    def add(
        self,
        *,
        subjects: Iterable[Child | Adopter],
        cases: Iterable[Case] | QuerySet[Case],
        action: str,
    ) -> None:
        if STRENGTH[action] > STRENGTH[self.action]:
            self.action = action
        for subject in subjects:
            child = subject.pk if isinstance(subject, Child) else None
            adopter = subject.pk if isinstance(subject, Adopter) else None
            self.subjects.add(services.Subject(subject.organisation_id, child, adopter))
        if isinstance(cases, QuerySet) and not cases.query.is_sliced:
            # An export's cases: read as ids only, once, when the entry is written. A page
            # of a list (a slice) is read now, which is the query its page runs anyway.
            self.case_querysets.append(cases.order_by())
            return
        for case in cases:
            self.subjects.add(
                services.Subject(case.organisation_id, case.child_id, case.adopter_id)
            )

    def resolved(self) -> set[services.Subject]:
        subjects = set(self.subjects)
        for cases in self.case_querysets:
            rows = cases.values_list("organisation_id", "child_id", "adopter_id")
            subjects.update(services.Subject(*row) for row in rows)
        return subjects


def access_note(
    request: HttpRequest,
    *,
    subjects: Iterable[Child | Adopter] = (),
    cases: Iterable[Case] | QuerySet[Case] = (),
    action: str = Action.VIEWED,
) -> None:
    """Note that this response shows (or, as `action` says, downloads or finds by a
    search) the details of `subjects` and of the children and adopters of `cases`.

    Call it once the request is allowed, where the page's records are known: a refusal
    afterwards still writes nothing. `cases` may be a queryset, read only when the entry
    is written (an export of thousands costs one query)."""
    notes = getattr(request, ATTRIBUTE, None)
    if notes is None:
        raise ImproperlyConfigured(
            "cases.access.AccessLogMiddleware is not in MIDDLEWARE: nothing would write "
            "the access log of this response."
        )
    notes.add(subjects=subjects, cases=cases, action=action)


class AccessLogMiddleware:
    """Writes the access log entry of each response that showed children's or adopters'
    details to a signed-in person. It must come after AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        notes = AccessNotes()
        setattr(request, ATTRIBUTE, notes)
        response = self.get_response(request)
        user: AnyUser | None = getattr(request, "user", None)
        shown = 200 <= response.status_code < 300 or response.status_code in SHOWN
        if notes and shown and user is not None and user.is_authenticated:
            services.access_log_write(
                user=user,
                path=request.get_full_path(),
                action=notes.action,
                subjects=notes.resolved(),
            )
        return response
