from django.apps import AppConfig


class AuditsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audits"
    verbose_name = "Case audits, audit tools, moderation, the rota and thematic reviews"
    # Called by `manage.py load_demo` once the demo region's case data is in place.
    demo_loader = "audits.demo.load"

    def ready(self) -> None:
        from audits.panels import record_audits_panel
        from cases.panels import register_record_panel

        register_record_panel(record_audits_panel)
