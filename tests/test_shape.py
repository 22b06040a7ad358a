"""The shape of the code (docs/architecture.md), checked as text where a linter cannot:
selectors never raise Http404, and roles are compared through the one enumeration."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "core",
    "cases",
    "audits",
    "observations",
    "rota",
    "themes",
    "performance",
    "governance",
    "qaportal",
)
ROLE_STRING = re.compile(
    r"""(role\s*(==|!=)\s*["'])|(role\s+(not\s+)?in\s*[\(\[\{]\s*["'])|(has_role\(\s*["'])"""
    r"""|(role(__in)?=\s*[\[\(]?\s*["'])"""
)


def _python_files(*apps: str) -> list[Path]:
    return [
        path
        for app in apps
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "demo" not in path.name
    ]


def _selector_files() -> list[Path]:
    apps = [p.parent for p in ROOT.glob("*/apps.py")]
    return sorted(path for app in apps for path in app.rglob("selectors*.py"))


def test_there_are_selectors_to_check():
    assert len(_selector_files()) >= 3


@pytest.mark.parametrize("path", _selector_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_selector_raises_http404(path):
    """Selectors return querysets or values; views turn "not visible" into a 404."""
    text = path.read_text(encoding="utf-8")
    assert "Http404" not in text
    assert "get_object_or_404" not in text


@pytest.mark.parametrize("app", APPS)
def test_roles_are_never_compared_as_strings(app):
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _python_files(app)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_STRING.search(line)
    ]
    assert not found, "use cases.roles.Role:\n" + "\n".join(found)
