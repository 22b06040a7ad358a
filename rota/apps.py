from django.apps import AppConfig


class RotaConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rota"
    verbose_name = "The QA programme: QA rules, the rota, reminders and escalations"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry
        from rota import demo, reminders

        # The reminders engine (rota/reminders.py) reads each organisation's QA rules; these
        # are its sources for audits, oversight and actions.
        for source in reminders.AUDIT_SOURCES:
            registry.reminder_sources.register(source)
        # load_demo calls the loaders in registration order: after the audits' demo.
        registry.demo_loaders.register(demo.load)
        for entry in (
            NavEntry("Escalations", "rota:escalation_list", "rota.view_escalations", "Audits", 35),
            NavEntry("QA rota", "rota:rota_list", "rota.view_rota", group="QA programme", order=60),
        ):
            registry.navigation.register(entry)
