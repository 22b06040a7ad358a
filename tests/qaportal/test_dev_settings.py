"""`make run` serves as the product does: the service's own error pages, static files
through WhiteNoise. Checked in a fresh process with the settings `make run` uses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
missing = client.get("/no-such-page/")
css = client.get("/static/css/qaportal.css")
from django.test import RequestFactory
from django.views.defaults import server_error
error = server_error(RequestFactory().get("/"))
print(json.dumps({
    "debug": settings.DEBUG,
    "missing_status": missing.status_code,
    "missing_body": missing.content.decode(),
    "error_body": error.content.decode(),
    "css_status": css.status_code,
    "css_served_by_whitenoise": css.__class__.__name__,
}))
"""


def _probe(tmp_path, **extra: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "qaportal.settings.dev",
        "QAPORTAL_RUN_DIR": str(tmp_path / "run"),
        **extra,
    }
    for name in ("DJANGO_DEBUG", "DATABASE_URL", "CELERY_BROKER_URL"):
        if name not in extra:
            env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_make_run_shows_the_service_own_404_not_the_debug_page(tmp_path):
    seen = _probe(tmp_path)
    assert seen["debug"] is False
    assert seen["missing_status"] == 404
    assert "Page not found" in seen["missing_body"]
    assert "URLconf" not in seen["missing_body"]
    assert "urlpatterns" not in seen["missing_body"]


def test_make_run_shows_the_service_own_500_page(tmp_path):
    body = _probe(tmp_path)["error_body"]
    assert "Sorry, there is a problem with the service" in body
    assert "Traceback" not in body


def test_make_run_serves_static_files_through_whitenoise(tmp_path):
    seen = _probe(tmp_path)
    assert seen["css_status"] == 200
    assert seen["css_served_by_whitenoise"] == "WhiteNoiseFileResponse"


def test_the_debug_target_turns_debug_on(tmp_path):
    assert _probe(tmp_path, DJANGO_DEBUG="true")["debug"] is True
