"""core.components: views hand links and tags to the summary list as values, and the
template renders them, escaping whatever a person typed."""

from django.template import Context, Template

from core.components import Link, Tag


def _render(rows) -> str:
    return Template("{% load govuk %}{% summary_list rows %}").render(Context({"rows": rows}))


def test_a_link_and_its_hint_are_rendered_and_escaped():
    html = _render([("Case", Link("<b>Ann</b>", "/children/1/", "Team & <i>North</i>"))])
    assert '<a class="govuk-link" href="/children/1/">&lt;b&gt;Ann&lt;/b&gt;</a>' in html
    assert '<span class="app-secondary-text">Team &amp; &lt;i&gt;North&lt;/i&gt;</span>' in html


def test_a_link_without_a_hint_has_no_empty_line():
    html = _render([("Audit", Link("In progress, due 1 March 2027", "/audits/3/"))])
    assert "app-secondary-text" not in html


def test_a_tag_is_a_govuk_tag_in_its_colour():
    html = _render([("Status", Tag("Overdue", "red")), ("Other", Tag("Open"))])
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert '<strong class="govuk-tag">Open</strong>' in html


def test_govuk_time_shows_a_date_or_a_moments_local_day():
    import datetime

    template = Template('{% load govuk %}{% govuk_time value %}|{% govuk_time value "j F Y" %}')

    def shown(value):
        return template.render(Context({"value": value}))

    assert shown(datetime.date(2026, 3, 5)) == (
        '<time datetime="2026-03-05">5 Mar 2026</time>|'
        '<time datetime="2026-03-05">5 March 2026</time>'
    )
    # 23:30 UTC on 1 July is half past midnight on 2 July in London.
    late = datetime.datetime(2026, 7, 1, 23, 30, tzinfo=datetime.UTC)
    assert shown(late).startswith('<time datetime="2026-07-02">2 Jul 2026</time>')
    assert shown(None) == "|"
