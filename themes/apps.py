from django.apps import AppConfig


class ThemesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "themes"
    verbose_name = "Thematic reviews (monthly spotlights)"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry
        from themes import demo

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
        registry.demo_loaders.register(demo.load)
