from django.apps import AppConfig


class ThemesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "themes"
    verbose_name = "Thematic reviews (monthly spotlights)"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry
        from performance.signals import focused_audit_proposed
        from themes import demo, receivers, selectors

        registry.navigation.register(
            NavEntry(
                "Thematic reviews",
                "themes:theme_list",
                "themes.view_themes",
                group="QA programme",
                order=65,
            )
        )
        # load_demo calls the loaders in registration order: after the audits' demo.
        registry.improvement_sources.register(selectors.improvement_items)
        registry.demo_loaders.register(demo.load)
        # A performance alert's focused audit is proposed to the planner (performance sits
        # below themes, so it sends a signal rather than calling this app).
        focused_audit_proposed.connect(
            receivers.focused_audit_proposed, dispatch_uid="themes.focused_audit_proposed"
        )
