from typing import Any

from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "performance"
    verbose_name = "Performance indicators, data quality and case-data import"

    def ready(self) -> None:
        from celery.signals import worker_ready

        from core import registry
        from core.navigation import NavEntry
        from performance import demo, home, panels, selectors_quality

        registry.record_panels.register(panels.record_quality_panel)
        registry.home_cards.register(home.follow_up_card)
        registry.improvement_sources.register(selectors_quality.improvement_items)
        registry.demo_loaders.register(demo.load)
        registry.navigation.register(
            NavEntry(
                "Performance", "performance:indicator_list", "performance.view_indicators", "", 80
            )
        )
        worker_ready.connect(sweep_import_runs_on_start, weak=False)


def sweep_import_runs_on_start(**kwargs: Any) -> None:
    """A worker starting may follow a crash: end the import runs it left behind."""
    from performance.tasks import import_runs_sweep_task

    import_runs_sweep_task.delay()
