import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaportal.settings.dev")

app = Celery("qaportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="qaportal.ping")
def ping() -> str:
    """A round trip through the broker, used by health checks and tests."""
    return "pong"
