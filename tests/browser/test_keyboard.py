"""The case list used with the keyboard alone: no clicks, no fills, only key presses."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, login, path_of
from tests.browser.demo import Demo

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]

MAX_TABS = 80

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", id: "", text: "", name: ""};
  return {tag: el.tagName.toLowerCase(), id: el.id || "", name: el.getAttribute("name") || "",
          text: (el.innerText || el.value || "").trim(),
          inResults: !!el.closest("#case-results"), href: el.getAttribute("href") || ""};
}"""


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, matches, *, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; fail after MAX_TABS."""
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now.get("id") or now.get("text")[:30] or now["tag"])
        if matches(now):
            return now
    pytest.fail(f"never reached the element by pressing {key}; focus went through {seen}")


def _count(text: str) -> int:
    match = re.match(r"\s*(\d+) cases?", text)
    assert match, text
    return int(match.group(1))


def result_dates(page: Page) -> list[datetime.date]:
    values = page.locator("#case-results tbody time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    return [datetime.date.fromisoformat(v) for v in values]


COLUMN = """header => {
  const heads = [...document.querySelectorAll("#case-results thead th")];
  const index = heads.findIndex(th => th.innerText.trim() === header);
  if (index < 0) return null;
  // The cell's own text, without the grey secondary line (the team's service).
  return [...document.querySelectorAll("#case-results tbody tr")].map(row => {
    const cell = row.children[index];
    return [...cell.childNodes].filter(n => n.nodeType === Node.TEXT_NODE)
      .map(n => n.textContent).join("").trim();
  });
}"""


def result_teams(page: Page) -> list[str]:
    teams = page.evaluate(COLUMN, "Team")
    assert teams is not None, "the case list has no Team column"
    return teams


def test_the_case_list_works_with_the_keyboard_alone(
    live_server,
    page: Page,
    demo_people: Demo,
    axe,
) -> None:
    login(page, live_server, "qa.manager")
    assert_accessible(page, axe)
    page.goto(f"{live_server.url}/cases/")
    assert_accessible(page, axe)
    status = page.locator("#case-count")
    total = demo_people.visible_count("qa.manager")
    expect(status).to_contain_text(f"{total} cases, showing 1 to 25")

    # The skip link is the first Tab stop and takes focus to the main content.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to main content", first
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main-content"
    assert page.url.endswith("#main-content")

    # Choose a team with the arrow keys.
    team = demo_people.teams["lac1"]
    tab_to(page, lambda f: f["id"] == "id_team")
    options = page.locator("#id_team option").all_inner_texts()
    for _ in range(options.index(team.name)):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_team")).to_have_value(str(team.pk))

    # Back past "Name or ID" to the first "Apply filters" and submit it with Enter:
    # htmx swaps in #case-results, with no page load.
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Apply filters", backwards=True)
    assert page.evaluate(
        "document.activeElement.compareDocumentPosition("
        "document.getElementById('id_team')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    with page.expect_response(re.compile(r"/cases/\?")) as swap:
        page.keyboard.press("Enter")
    assert swap.value.request.headers.get("hx-request") == "true"
    # The count changes to every case in the team, unallocated ones included.
    expect(status).not_to_contain_text(f"{total} cases")
    in_team = _count(status.inner_text())
    assert in_team == len(demo_people.in_team("lac1"))
    expect(status).to_contain_text(f"{in_team} cases, showing 1 to 25")
    expect(page).to_have_url(re.compile(rf"team={team.pk}"))
    teams = result_teams(page)
    assert len(teams) == 25
    assert set(teams) == {team.name}
    after_swap = focused(page)
    assert after_swap["tag"] != "body", "focus was lost to <body> after the results swapped"
    assert after_swap["text"] == "Apply filters" or after_swap["inResults"], after_swap
    assert_accessible(page, axe)

    # Sort by "Opened": Enter on the column header's link.
    opened_th = page.locator("#case-results th", has_text="Opened")
    expect(opened_th).to_have_attribute("aria-sort", "none")
    before = result_dates(page)
    assert before == sorted(before, reverse=True)  # newest first by default
    tab_to(page, lambda f: f["tag"] == "a" and f["text"] == "Opened")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(opened_th).to_have_attribute("aria-sort", "ascending")
    dates = result_dates(page)
    assert dates == sorted(dates)
    assert dates != before
    assert set(result_teams(page)) == {team.name}
    expect(status).to_contain_text(f"{in_team} cases, showing 1 to 25")
    assert_accessible(page, axe)

    # Page 2, by keyboard, keeps the team and the order.
    tab_to(page, lambda f: f["tag"] == "a" and "page=2" in f["href"])
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "page=2" in path_of(page)
    expect(status).to_contain_text(f"{in_team} cases, showing 26 to {in_team}")
    expect(opened_th).to_have_attribute("aria-sort", "ascending")
    page_two = result_dates(page)
    assert page_two == sorted(page_two)
    assert page_two[0] >= dates[-1]
    assert set(result_teams(page)) == {team.name}
    expect(page.locator(".govuk-pagination [aria-current=page]")).to_have_text("2")
    assert_accessible(page, axe)
