"""Moving and acting with the keyboard alone in browser tests: Tab (or Shift+Tab) until
the focused element matches, then Enter, Space or typing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

MAX_TABS = 120

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
