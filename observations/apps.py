from django.apps import AppConfig


class ObservationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "observations"
    verbose_name = "Practice observations and practice focused days"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry
        from observations import demo, demo_week, events, home, panels, reminders, selectors

        registry.record_panels.register(panels.record_observations_panel)
        registry.home_cards.register(home.observation_work_card)
        registry.action_sources.register(selectors.action_items)
        registry.action_sources.register(events.event_action_items)
        registry.improvement_sources.register(selectors.improvement_items)
        for source in reminders.SOURCES:
            registry.reminder_sources.register(source)
        # load_demo calls the loaders in registration order: after the cases and audits.
        registry.demo_loaders.register(demo.load)
        # The practice week after the year: its observations would stop demo.load's.
        registry.demo_loaders.register(demo_week.load)
        registry.navigation.register(
            NavEntry(
                "Observations",
                "observations:observation_list",
                "observations.view_observations",
                group="Observations",
                order=40,
            )
        )
        registry.navigation.register(
            NavEntry(
                "Coverage",
                "observations:coverage",
                "observations.view_coverage",
                group="Observations",
                order=42,
            )
        )
        registry.navigation.register(
            NavEntry(
                "Practice days and weeks",
                "observations:event_list",
                "observations.view_practice_events",
                group="Observations",
                order=44,
            )
        )
