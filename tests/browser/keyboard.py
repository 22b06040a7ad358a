"""Moving and acting with the keyboard alone in browser tests: Tab (or Shift+Tab) until
the focused element matches, then Enter, Space or typing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

MAX_TABS = 120
MAX_ARROWS = 20  # options of a select
MAX_RADIOS = 8  # radios of a group

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return {tag: "body", id: "", name: "", text: "", value: ""};
  return {tag: el.tagName.toLowerCase(), id: el.id || "", name: el.getAttribute("name") || "",
          text: (el.tagName === "INPUT" ? (el.type === "submit" ? el.value : "")
                 : el.textContent || "").replace(/\\s+/g, " ").trim(),
          value: el.value || "", checked: !!el.checked};
}"""

Match = Callable[[dict], bool]


def focused(page: Page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page: Page, matches: Match, *, backwards: bool = False) -> dict:
    key = "Shift+Tab" if backwards else "Tab"
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now["id"] or now["text"][:30] or now["tag"])
        if matches(now):
            return now
    pytest.fail(f"never reached the element by pressing {key}; focus went through {seen}")


def link(text: str) -> Match:
    return lambda f: f["tag"] == "a" and f["text"].startswith(text)


def button(text: str) -> Match:
    return lambda f: f["tag"] in ("button", "input") and f["text"].startswith(text)


def summary(text: str) -> Match:
    return lambda f: f["tag"] == "summary" and f["text"].startswith(text)


def field(element_id: str) -> Match:
    return lambda f: f["id"] == element_id


def press_enter_on(page: Page, matches: Match, *, backwards: bool = False) -> None:
    tab_to(page, matches, backwards=backwards)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def replace_text(page: Page, element_id: str, text: str) -> None:
    tab_to(page, field(element_id))
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    expect(page.locator(f"#{element_id}")).to_have_value(text)


def heading(page: Page) -> object:
    return expect(page.get_by_role("heading", level=1))


def success(page: Page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def choose_option(page: Page, element_id: str, value: str) -> None:
    """Focus a select with Tab, then move through its options with the arrow keys."""
    tab_to(page, field(element_id))
    select = page.locator(f"#{element_id}")
    for _ in range(MAX_ARROWS):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"never reached option {value} of #{element_id}")


def choose_radio(page: Page, name: str, value: str) -> None:
    """Tab into a radio group, then choose with Space (the focused radio) or the arrow
    keys."""
    now = tab_to(page, lambda f: f["name"] == name)
    if now["value"] == value:
        page.keyboard.press("Space")
    checked = page.locator(f"input[name={name}]:checked")
    for _ in range(MAX_RADIOS):
        if checked.count() and checked.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    pytest.fail(f"the arrow keys never chose {value!r} in {name!r}")
