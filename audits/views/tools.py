"""Placeholder views: replaced by the real ones as they are built."""

from django.http import Http404


def tool_list(request, **kwargs):
    raise Http404


def tool_new(request, **kwargs):
    raise Http404


def tool_detail(request, **kwargs):
    raise Http404


def tool_edit(request, **kwargs):
    raise Http404


def tool_publish(request, **kwargs):
    raise Http404


def tool_new_version(request, **kwargs):
    raise Http404


def section_new(request, **kwargs):
    raise Http404


def section_edit(request, **kwargs):
    raise Http404


def section_remove(request, **kwargs):
    raise Http404


def section_move(request, **kwargs):
    raise Http404


def question_new(request, **kwargs):
    raise Http404


def question_edit(request, **kwargs):
    raise Http404


def question_remove(request, **kwargs):
    raise Http404


def question_move(request, **kwargs):
    raise Http404
