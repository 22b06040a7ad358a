from typing import Any

from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "performance"
    verbose_name = "Performance indicators, data quality and case-data import"
    # Called by `manage.py load_demo` once the demo region's case data is in place.
    demo_loader = "performance.demo.load"

    def ready(self) -> None:
        from cases.panels import register_record_panel
        from performance.panels import record_quality_panel

        register_record_panel(record_quality_panel)

        from celery.signals import worker_ready

        worker_ready.connect(sweep_import_runs_on_start, weak=False)


def sweep_import_runs_on_start(**kwargs: Any) -> None:
    """A worker starting may follow a crash: end the import runs it left behind."""
    from performance.tasks import import_runs_sweep_task

    import_runs_sweep_task.delay()
