"""The case, audit and data-quality lists as they open (no filter) read their count,
page and figures through `core.prepared`; any filter goes through the filter form. Both
ways must show the same rows, count and figures."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    ("/cases/", "team_manager"),
    ("/cases/", "qa"),
    ("/audits/", "qa"),
    ("/audits/", "team_manager"),
    ("/performance/data-quality/", "business_support"),
    ("/performance/data-quality/", "qa"),
]


def _shown(response):
    page = response.context["page_obj"]
    return page.paginator.count, page.number, [row.pk for row in page.object_list]


@pytest.mark.parametrize(("url", "key"), LISTS)
def test_a_list_as_it_opens_is_the_filtered_lists_unfiltered(client, scenario, url, key):
    client.force_login(scenario.people[key].user)
    for query in ("", "?page=1", "?page=2"):
        opened = client.get(url + query)
        through_the_form = client.get(url + (query + "&" if query else "?") + "unknown=1")
        assert opened.status_code == through_the_form.status_code == 200
        assert _shown(opened) == _shown(through_the_form)
        assert opened.context.get("figures") == through_the_form.context.get("figures")
    count, _, rows = _shown(client.get(url))
    assert count > 0
    assert count == len(rows) or len(rows) == 25


@pytest.mark.parametrize("sort", [",", ",,", " ", "-"])
@pytest.mark.parametrize(("url", "key"), LISTS)
def test_a_sort_of_empty_names_keeps_the_lists_order(client, scenario, url, key, sort):
    """ "?sort=," once ordered by nothing and gave a 500."""
    client.force_login(scenario.people[key].user)
    response = client.get(url, {"sort": sort})
    assert response.status_code == 200
    assert _shown(response) == _shown(client.get(url))
