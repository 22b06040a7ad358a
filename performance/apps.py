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
