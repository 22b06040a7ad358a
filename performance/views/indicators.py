"""The indicator catalogue, indicator pages with drill-down to the children behind a
figure, Key Performance Question pages with the analyst's narrative, targets and
benchmarks, and focused-audit proposals.

Figures are the user's own organisation's; a service, team, rule or proposal of another
organisation is a 404. The children behind a figure are filtered by `visible_to`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases.access import access_note
from cases.models import Organisation, Service, StaffMember, Team
from cases.permissions import require_perm, require_staff
from core.months import add_months, month_start
from performance import selectors_indicators as selectors
from performance.forms_indicators import (
    AlertRuleForm,
    BenchmarkFileForm,
    BenchmarkForm,
    NarrativeForm,
    TargetForm,
)
from performance.indicators import CATALOGUE, KPQ_TITLES, Indicator, Oba, by_kpq
from performance.models import Benchmark
from performance.services import reference
from performance.services.indicators import MONTHS

VIEW = "performance.view_indicators"
CHANGE_TARGETS = "performance.change_targets"
WRITE_NARRATIVE = "performance.write_narrative"
REVIEW_PROPOSALS = "performance.review_proposals"
RECORDS_PER_PAGE = 50


def _month(request: HttpRequest, today: datetime.date) -> datetime.date:
    """The month asked for (?month=2026-10), within the months held; else the last
    complete month."""
    default = selectors.last_complete_month(today)
    try:
        asked = datetime.date.fromisoformat(f"{request.GET.get('month', '')[:7]}-01")
    except ValueError:
        return default
    earliest = add_months(month_start(today), -(MONTHS - 1))
    return asked if earliest <= asked <= month_start(today) else default


def _month_choices(today: datetime.date) -> list[datetime.date]:
    return [add_months(month_start(today), -n) for n in range(MONTHS)]


def _organisation(request: HttpRequest) -> Organisation:
    """The reader's own organisation, whose figures the pages show; 404 without one."""
    organisation = selectors.organisation_for(request.user)
    if organisation is None:
        raise Http404("No organisation")
    return organisation


def _indicator(slug: str) -> Indicator:
    indicator = CATALOGUE.get(slug)
    if indicator is None:
        raise Http404("No such indicator")
    return indicator


def _unit(request: HttpRequest, organisation: Organisation) -> tuple[Service | None, Team | None]:
    """The service or team drilled into (?service=, ?team=), of the user's organisation."""
    service = team = None
    team_id, service_id = request.GET.get("team", ""), request.GET.get("service", "")
    if team_id:
        if not team_id.isdigit() or len(team_id) > 12:
            raise Http404("No such team")
        team = selectors.team_of(organisation, int(team_id), user=request.user)
        if team is None:
            raise Http404("No such team")
        service = team.service
    elif service_id:
        if not service_id.isdigit() or len(service_id) > 12:
            raise Http404("No such service")
        service = selectors.service_of(organisation, int(service_id), user=request.user)
        if service is None:
            raise Http404("No such service")
    return service, team


def _unit_query(service: Service | None, team: Team | None) -> str:
    """The query string that selects the drilled-into unit, or "" for the organisation."""
    if team is not None:
        return f"team={team.pk}"
    return f"service={service.pk}" if service is not None else ""


def _labelled(indicator: Indicator, points: list, today: datetime.date) -> list[dict[str, Any]]:
    """The points as the chart and its table show them; this month's is marked partial,
    its figure only so far."""
    running = month_start(today)
    return [
        {
            "month": p.month,
            "partial": p.month == running,
            "value": p.value,
            "value_label": indicator.format(p.value),
            "numerator": p.numerator,
            "denominator": p.denominator,
            "target": p.target,
            "target_label": indicator.format(p.target) if p.target is not None else "",
            "status": p.status,
            "status_label": p.status_label,
            "colour": selectors.STATUS_COLOURS[p.status],
        }
        for p in points
    ]


class _Row(dict):
    __getattr__ = dict.get


def indicator_list(request: HttpRequest) -> HttpResponse:
    """The overview: every indicator's latest value at a glance, grouped by Key
    Performance Question; definitions, trends and the children behind each figure are on
    the indicator's own page."""
    require_perm(request, VIEW)
    organisation = _organisation(request)
    today = timezone.localdate()
    month = _month(request, today)
    oba = request.GET.get("oba", "")
    groups = selectors.overview(organisation, month, user=request.user, oba=oba)
    context = {
        "organisation": organisation,
        "month": month,
        "months": _month_choices(today),
        "groups": groups,
        "counts": selectors.overview_counts(groups),
        "oba": oba,
        "oba_choices": Oba.LABELS.items(),
        "oba_extra": [("oba", oba)] if oba in Oba.LABELS else [],
        "count": len(CATALOGUE),
    }
    return render(request, "performance/indicators/list.html", context)


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    require_perm(request, VIEW)
    indicator = _indicator(slug)
    organisation = _organisation(request)
    service, team = _unit(request, organisation)
    today = timezone.localdate()
    month = _month(request, today)
    points = selectors.series(
        indicator,
        organisation,
        last=month_start(today),
        user=request.user,
        service=service,
        team=team,
    )
    benchmarks = selectors.benchmarks(organisation, indicator.slug, user=request.user)
    chart_benchmarks = [
        _Row(label=f"{b.get_kind_display()} {b.period}", value=b.value) for b in benchmarks
    ]
    rows = _labelled(indicator, points, today)
    breakdown = []
    if team is None:
        for value in selectors.breakdown(
            indicator, organisation, month, service, user=request.user
        ):
            unit = value.team if service else value.service
            breakdown.append(
                {
                    "name": unit.name,
                    "query": f"team={unit.pk}" if service else f"service={unit.pk}",
                    "value": indicator.format(value.value),
                    "numerator": value.numerator,
                    "denominator": value.denominator,
                }
            )
    unit_query = _unit_query(service, team)
    context = {
        "indicator": indicator,
        "organisation": organisation,
        "service": service,
        "team": team,
        "unit_name": (team or service or organisation).name,
        "unit_query": unit_query,
        "month_extra": [tuple(unit_query.split("="))] if unit_query else [],
        "month": month,
        "months": _month_choices(today),
        "rows": rows,
        "chart_points": [_Row(r) for r in rows],
        "chart_benchmarks": chart_benchmarks,
        "benchmarks": [
            {
                "label": b.get_kind_display(),
                "period": b.period,
                "value": indicator.format(b.value),
                "source": b.source,
            }
            for b in benchmarks
        ],
        "breakdown": breakdown,
        "current": next((r for r in rows if r["month"] == month), None),
        "today": today,
    }
    return render(request, "performance/indicators/detail.html", context)


def indicator_records(request: HttpRequest, slug: str) -> HttpResponse:
    require_perm(request, VIEW)
    indicator = _indicator(slug)
    organisation = _organisation(request)
    service, team = _unit(request, organisation)
    today = timezone.localdate()
    month = _month(request, today)
    found = selectors.records(
        request.user, indicator, organisation, month, service=service, team=team
    )
    page = items = None
    if found is not None:
        paginator = Paginator(found.facts, RECORDS_PER_PAGE)
        paginator.count = found.total  # counted already: the paginator need not again
        page = paginator.get_page(request.GET.get("page"))
        items = [{"fact": fact, "case": fact.case} for fact in page.object_list]
        access_note(request, cases={item["case"].pk: item["case"] for item in items}.values())
    unit_query = _unit_query(service, team)
    context = {
        "indicator": indicator,
        "unit_name": (team or service or organisation).name,
        "unit_query": unit_query,
        "back_url": reverse("performance:indicator_detail", args=[indicator.slug])
        + f"?month={month:%Y-%m}"
        + (f"&{unit_query}" if unit_query else ""),
        "month": month,
        "computed": found is not None,
        "page_obj": page,
        "items": items,
        "hidden": found.hidden if found else 0,
        "total": found.total if found else 0,
        "counted": found.counted if found else 0,
        "shows_counted": indicator.kind == "percentage",
    }
    return render(request, "performance/indicators/records.html", context)


@require_http_methods(["GET", "POST"])
def kpq_detail(request: HttpRequest, kpq: int) -> HttpResponse:
    require_perm(request, VIEW)
    if kpq not in KPQ_TITLES:
        raise Http404("No such question")
    organisation = _organisation(request)
    today = timezone.localdate()
    month = _month(request, today)
    narrative = selectors.narrative(organisation, kpq, month, user=request.user)
    can_write = request.user.has_perm(WRITE_NARRATIVE)
    conflict = None
    form = NarrativeForm(
        initial={
            "text": narrative.text if narrative else "",
            "revision": narrative.revision if narrative else 0,
        }
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        form = NarrativeForm(request.POST)
        if form.is_valid():
            try:
                reference.narrative_save(
                    by=require_staff(request),
                    kpq=kpq,
                    month=month,
                    text=form.cleaned_data["text"],
                    revision=form.cleaned_data["revision"],
                )
            except reference.NarrativeConflict as error:
                conflict = error.current
                form = NarrativeForm(
                    data={"text": form.cleaned_data["text"], "revision": conflict.revision}
                )
                form.is_valid()
            else:
                messages.success(request, "Analysis saved")
                return redirect(f"{request.path}?month={month:%Y-%m}")
    indicators = by_kpq()[kpq]
    targets = selectors.Targets(organisation, [i.slug for i in indicators], user=request.user)
    last6 = add_months(month, -5)
    trends = []
    for indicator in indicators:
        points = selectors.series(
            indicator, organisation, last=month, user=request.user, months=6, targets=targets
        )
        trends.append({"indicator": indicator, "rows": _labelled(indicator, points, today)})
    context = {
        "kpq": kpq,
        "title": KPQ_TITLES[kpq],
        "organisation": organisation,
        "month": month,
        "months": _month_choices(today),
        "trend_months": [add_months(last6, n) for n in range(6)],
        "trends": trends,
        "narrative": narrative,
        "form": form if can_write else None,
        "conflict": conflict,
    }
    return render(
        request, "performance/indicators/kpq.html", context, status=409 if conflict else 200
    )


FORMS = {"target": TargetForm, "benchmark": BenchmarkForm, "file": BenchmarkFileForm}


def _save_reference(form, which: str, staff: StaffMember) -> str:
    """Save a valid target, benchmark or benchmarks file; the message to show, or ""."""
    if not form.is_valid():
        return ""
    data = form.cleaned_data
    if which == "target":
        reference.target_set(
            by=staff,
            indicator=data["indicator"],
            value=data["value"],
            starts_on=data["starts_on"],
            note=data["note"],
        )
        return f"Target saved for {CATALOGUE[data['indicator']].name}"
    rows = [data] if which == "benchmark" else form.rows()
    if not rows:
        return ""
    count = reference.benchmarks_save(by=staff, rows=rows)
    return f"{count} benchmark{'s' if count != 1 else ''} saved"


def _with_values(rows: Any, name: str) -> list[dict[str, Any]]:
    """Targets or benchmarks, each with its indicator and its value written as the
    indicator writes its figures."""
    listed = []
    for row in rows:
        indicator = CATALOGUE.get(row.indicator)
        value = indicator.format(row.value) if indicator else row.value
        listed.append({name: row, "indicator": indicator, "value": value})
    return listed


@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW)
    organisation = _organisation(request)
    can_change = request.user.has_perm(CHANGE_TARGETS)
    forms = {
        "target": TargetForm(prefix="target"),
        "benchmark": BenchmarkForm(prefix="benchmark"),
        "file": BenchmarkFileForm(prefix="file"),
    }
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        which = request.POST.get("form", "")
        if which in forms:
            forms[which] = FORMS[which](request.POST, request.FILES, prefix=which)
            message = _save_reference(forms[which], which, require_staff(request))
            if message:
                messages.success(request, message)
                return redirect("performance:targets")
    target_form, benchmark_form, file_form = forms.values()
    forms = (target_form, benchmark_form, file_form)
    for form in forms:
        form.helper.form_tag = False
    target_rows = selectors.target_list(organisation, user=request.user)
    benchmark_rows = selectors.benchmark_list(organisation, user=request.user)
    context = {
        "targets": _with_values(target_rows, "target"),
        "benchmarks": _with_values(benchmark_rows, "benchmark"),
        "can_change": can_change,
        "forms_with_errors": [form for form in forms if form.errors],
        "target_form": target_form,
        "benchmark_form": benchmark_form,
        "file_form": file_form,
        "columns": ", ".join(["indicator", "kind", "period", "value", "source"]),
        "kinds": Benchmark.Kind.choices,
    }
    return render(request, "performance/indicators/targets.html", context)


@require_http_methods(["GET", "POST"])
def proposals(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW)
    organisation = _organisation(request)
    can_review = request.user.has_perm(REVIEW_PROPOSALS)
    form = AlertRuleForm()
    if request.method == "POST":
        if not can_review:
            raise PermissionDenied
        form = AlertRuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            reference.alert_rule_add(
                by=require_staff(request),
                indicator=data["indicator"],
                threshold=data["threshold"],
                worsening_months=data["worsening_months"],
            )
            messages.success(
                request,
                f"Rule added for {CATALOGUE[data['indicator']].name}. It is checked every night.",
            )
            return redirect("performance:proposals")
    rules = selectors.active_alert_rules(organisation, user=request.user)
    found = selectors.proposals(organisation, user=request.user)
    page = Paginator(found, 25).get_page(request.GET.get("page"))
    context = {
        "rules": [{"rule": r, "indicator": CATALOGUE.get(r.indicator)} for r in rules],
        "page_obj": page,
        "items": [
            {"proposal": p, "indicator": CATALOGUE.get(p.indicator)} for p in page.object_list
        ],
        "can_review": can_review,
        "form": form,
    }
    return render(request, "performance/indicators/proposals.html", context)


@require_POST
def rule_stop(request: HttpRequest, rule_pk: int) -> HttpResponse:
    require_perm(request, REVIEW_PROPOSALS)
    organisation = _organisation(request)
    rule = get_object_or_404(selectors.alert_rules(organisation, user=request.user), pk=rule_pk)
    reference.alert_rule_stop(rule=rule)
    messages.success(request, "The rule was stopped. Its proposals stay in the list.")
    return redirect("performance:proposals")


@require_POST
def proposal_dismiss(request: HttpRequest, proposal_pk: int) -> HttpResponse:
    require_perm(request, REVIEW_PROPOSALS)
    organisation = _organisation(request)
    proposal = get_object_or_404(
        selectors.proposals(organisation, user=request.user), pk=proposal_pk
    )
    reference.proposal_dismiss(proposal=proposal)
    messages.success(request, "Proposal dismissed")
    return redirect(reverse("performance:proposals"))
