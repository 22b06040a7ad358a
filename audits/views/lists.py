"""Placeholder views: replaced by the real ones as they are built."""

from django.http import Http404


def audit_list(request, **kwargs):
    raise Http404


def audit_export(request, **kwargs):
    raise Http404


def my_audits(request, **kwargs):
    raise Http404
