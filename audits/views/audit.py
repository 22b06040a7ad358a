"""Placeholder views: replaced by the real ones as they are built."""

from django.http import Http404


def audit_start(request, **kwargs):
    raise Http404


def audit_detail(request, **kwargs):
    raise Http404


def section(request, **kwargs):
    raise Http404


def findings(request, **kwargs):
    raise Http404


def action_new(request, **kwargs):
    raise Http404


def submit(request, **kwargs):
    raise Http404


def oversight(request, **kwargs):
    raise Http404


def acknowledge(request, **kwargs):
    raise Http404


def audit_pdf(request, **kwargs):
    raise Http404


def audit_history(request, **kwargs):
    raise Http404


def action_done(request, **kwargs):
    raise Http404
