"""The Content-Security-Policy on every response, and templates that need nothing it forbids:
no inline script, event-handler attribute, inline style or javascript: URL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_access import ARGUMENTS, PUBLIC_ARGUMENTS, URLS

# Rendered by WeasyPrint into a PDF, never sent to a browser: its <style> is not inline
# style on a page.
# Rendered only to WeasyPrint, never sent to a browser: their styles may sit inline.
PDF_TEMPLATES = {
    "audits/templates/audits/audit/report_pdf.html",
    "governance/templates/governance/reports/report_pdf.html",
}
TAG = re.compile(r"<[a-zA-Z][^>]*>")
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JSON_SCRIPT = re.compile(r"""type=["']application/(ld\+)?json["']""")


def _policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def _assert_strict(response) -> None:
    policy = _policy(response)
    path = response.request["PATH_INFO"]
    assert policy["script-src"] == ["'self'"], path
    assert policy["style-src"] == ["'self'"], path
    assert policy["object-src"] == ["'none'"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    for values in policy.values():
        assert "'unsafe-inline'" not in values, path
        assert "'unsafe-eval'" not in values, path


@pytest.mark.django_db
def test_every_page_sends_a_policy_that_forbids_inline_script(client, scenario):
    # Error pages need the policy too; whether each page works is test_access's business.
    client.raise_request_exception = False
    client.force_login(scenario.people["qa"].user)
    for name, args in URLS:
        kwargs = {arg: {**ARGUMENTS, **PUBLIC_ARGUMENTS}[arg][0](scenario) for arg in args}
        _assert_strict(client.get(reverse(name, kwargs=kwargs)))


@pytest.mark.django_db
def test_htmx_partials_send_the_policy(client, scenario):
    client.force_login(scenario.people["qa"].user)
    response = client.get(reverse("audits:audit_list"), headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode()
    _assert_strict(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/admin/login/"])
def test_pages_for_people_not_signed_in_send_the_policy(client, path):
    _assert_strict(client.get(path))


def _templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *base.glob("*/templates")]
    return sorted(path for root in roots for path in root.rglob("*.html"))


def _name(path: Path) -> str:
    return str(path.relative_to(settings.BASE_DIR))


TEMPLATES = _templates()


def test_the_scan_finds_the_templates():
    names = {_name(path) for path in TEMPLATES}
    assert {"templates/base.html", "audits/templates/audits/audit/section.html"} <= names


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_a_template_has_no_script_or_style_the_policy_refuses(path):
    text = path.read_text()
    tags = TAG.findall(text)
    for tag in tags:
        if tag.lower().startswith("<script"):
            assert "src=" in tag or JSON_SCRIPT.search(tag), f"inline script: {tag}"
        assert not EVENT_HANDLER.search(tag), f"event handler attribute: {tag}"
        assert not re.search(r"\sstyle\s*=", tag, re.IGNORECASE), f"style attribute: {tag}"
    assert "javascript:" not in text.lower()
    if _name(path) not in PDF_TEMPLATES:
        assert "<style" not in text.lower()


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_a_template_does_not_turn_escaping_off(path):
    """Show developer HTML by building it with format_html, never with |safe."""
    text = path.read_text()
    assert "|safe" not in text
    assert "autoescape off" not in text
