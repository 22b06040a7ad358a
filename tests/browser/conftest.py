"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test gets a fresh database (live_server uses transactional_db) and a fresh browser
context, so nothing carries over between tests. Run them alone with
``python -m pytest tests/browser -q -p no:randomly``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.demo import Demo, build_demo
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
BLOCKING_IMPACTS = ("serious", "critical")
# AXE_LOG=/some/file.jsonl records every violation of any impact, one page a line.
AXE_LOG = os.environ.get("AXE_LOG")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def page(page: Page) -> Iterator[Page]:
    """pytest-playwright's page, with short timeouts so a failure never hangs the run. The
    test fails if the browser refused anything under the Content-Security-Policy: Chromium
    says so only on the console, and the page may look fine without what it refused."""
    page.set_default_timeout(TIMEOUT_MS)
    page.set_default_navigation_timeout(TIMEOUT_MS)
    expect.set_options(timeout=TIMEOUT_MS)
    refused: list[str] = []

    def note_refusal(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", note_refusal)
    yield page
    if refused:
        pytest.fail("The Content-Security-Policy refused:\n" + "\n".join(refused), pytrace=False)


@pytest.fixture
def demo_people(live_server) -> Demo:
    """The seven demo logins and a caseload in their councils (see demo.py)."""
    return build_demo()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


def assert_accessible(page: Page, axe: Axe | None = None) -> None:
    """Fail on any serious or critical axe-core violation on the page as it is now."""
    results = (axe or Axe()).run(page)
    if AXE_LOG:
        with open(AXE_LOG, "a", encoding="utf-8") as log:
            found = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]])
                for v in results.response.get("violations", [])
            ]
            log.write(json.dumps({"url": page.url, "violations": found}) + "\n")
    violations = [
        v for v in results.response.get("violations", []) if v.get("impact") in BLOCKING_IMPACTS
    ]
    if violations:
        lines = [f"{len(violations)} serious/critical axe violation(s) on {page.url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v.get('helpUrl', '')}>")
            for node in v.get("nodes", [])[:10]:
                lines.append(f"    {node.get('target')}: {node.get('failureSummary', '')!r}")
        pytest.fail("\n".join(lines), pytrace=False)


def login(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password", exact=True).press("Enter")
    page.wait_for_load_state()


def path_of(page: Page) -> str:
    """The path and query of the page's URL, without the live server's address."""
    return re.sub(r"^https?://[^/]+", "", page.url)
