"""{% kept %}: a partial drawn from plain values alone, kept by what they are; anything
else is drawn afresh, the same way."""

from __future__ import annotations

import datetime

import pytest
from django.template import Context, Template
from django.template.loader import get_template

from audits.figures import AuditFigures, GradeCount, GradeDistribution, MonthCount, MonthlyFigures
from cases.grades import Grade
from core.templatetags import kept as kept_tags

TAG = Template('{% load kept %}{% kept "audits/partials/list_figures.html" figures=figures %}')


@pytest.fixture(autouse=True)
def _empty():
    kept_tags._kept.clear()
    yield
    kept_tags._kept.clear()


def figures(good: int, months: int = 3) -> AuditFigures:
    rows = [
        GradeCount(grade=Grade.GOOD, count=good, percent=100 if good else None),
        GradeCount(grade=Grade.INADEQUATE, count=0, percent=0 if good else None),
    ]
    by_month = [
        MonthCount(month=datetime.date(2026, m + 1, 1), good_or_better=good, not_yet_good=0)
        for m in range(months)
    ]
    return AuditFigures(
        grades=GradeDistribution(rows=rows, total=good), by_month=MonthlyFigures(months=by_month)
    )


def test_kept_figures_are_the_partial_drawn_from_them():
    direct = get_template("audits/partials/list_figures.html").render({"figures": figures(2)})
    first = TAG.render(Context({"figures": figures(2)}))
    again = TAG.render(Context({"figures": figures(2)}))
    assert first == again == direct
    assert len(kept_tags._kept) == 1


def test_other_figures_are_drawn_afresh():
    two = TAG.render(Context({"figures": figures(2)}))
    five = TAG.render(Context({"figures": figures(5, months=4)}))
    assert len(kept_tags._kept) == 2
    assert two != five
    assert five == get_template("audits/partials/list_figures.html").render(
        {"figures": figures(5, months=4)}
    )


def test_the_partial_sees_nothing_of_the_page():
    template = Template('{% load kept %}{% kept "components/tag.html" text=text %}')
    html = template.render(Context({"text": "Due", "colour": "red"}))
    assert "govuk-tag--red" not in html
    assert ">Due</strong>" in html


def test_values_that_are_not_plain_data_are_drawn_every_time(db):
    from tests.factories import OrganisationFactory

    template = Template('{% load kept %}{% kept "components/tag.html" text=org.name %}')
    organisation = OrganisationFactory(name="Oakshire <Council>")
    html = template.render(Context({"org": organisation}))
    assert "Oakshire &lt;Council&gt;" in html
    template = Template('{% load kept %}{% kept "components/tag.html" text=org %}')
    template.render(Context({"org": organisation}))
    assert len(kept_tags._kept) == 1
