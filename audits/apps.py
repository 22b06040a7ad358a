from django.apps import AppConfig


class AuditsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "audits"
    verbose_name = "Case audits, audit tools and moderation"

    def ready(self) -> None:
        from audits import demo, home, links, panels, selectors
        from core import registry
        from core.navigation import NavEntry

        registry.record_panels.register(panels.record_audits_panel)
        # The family's part of a practice review, answered through a one-use link.
        registry.link_purposes.register(links.PURPOSE)
        registry.home_cards.register(home.audit_work_card)
        registry.action_sources.register(selectors.action_items)
        registry.improvement_sources.register(selectors.improvement_items)
        # load_demo calls the loaders in registration order: after the case data.
        registry.demo_loaders.register(demo.load)
        for entry in (
            NavEntry("My audits", "audits:my_audits", "audits.view_my_audits", "Audits", 20),
            NavEntry("All audits", "audits:audit_list", "audits.view_audit_list", "Audits", 25),
            NavEntry("Audit tools", "audits:tool_list", "audits.view_tools", "Audits", 30),
            NavEntry(
                "Supervision feedback",
                "audits:feedback_list",
                "audits.view_feedback_list",
                "Audits",
                35,
            ),
        ):
            registry.navigation.register(entry)
