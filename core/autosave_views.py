"""The answer an autosaving form's background save gets, shared by every app: a status
line rendered from the app's own template, with the event the page's script listens for.
htmx swaps no error status, so problems (a conflict, bad input, a refusal, the session
ended) travel as 200 with the event naming them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def autosave_answer(
    request: HttpRequest, template: str, *, state: str, **context: Any
) -> HttpResponse:
    response = render(
        request,
        template,
        {
            "state": state,
            "saved_at": timezone.localtime(),
            "page_url": request.get_full_path(),
            **context,
        },
    )
    response["HX-Trigger-After-Swap"] = f"autosave-{state.replace('_', '-')}"
    return response


def signed_out_answer(request: HttpRequest, template: str) -> HttpResponse | None:
    """None while the user is signed in; after the session has ended, the status line
    saying so to a background save (the text stays in the browser), else the sign-in page."""
    if request.user.is_authenticated:
        return None
    if getattr(request, "htmx", False):
        return autosave_answer(request, template, state="signed_out")
    return redirect_to_login(request.get_full_path())
