from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Feedback, complaints and panel evaluations"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry

        # One block per kind of record: navigation entries, record panels, home cards,
        # action and reminder sources, demo loaders (called in registration order).
        # Feedback, themes and "you said, we did".
        #
        #
        # Questionnaires raised by journey events.
        #
        #
        # Complaints and compliments.
        #
        #
        # Adoption panel evaluations.
        from feedback import demo_evaluations, evaluations, home_evaluations

        registry.record_panels.register(home_evaluations.record_panel_items)
        registry.home_cards.register(home_evaluations.panel_feedback_card)
        registry.action_sources.register(evaluations.panel_action_items)
        registry.demo_loaders.register(demo_evaluations.load)
        registry.navigation.register(
            NavEntry(
                "Adoption panel",
                "feedback:panel_meeting_list",
                "feedback.view_panel_meetings",
                group="Feedback",
                order=54,
            )
        )
        registry.navigation.register(
            NavEntry(
                "Panel evaluation summaries",
                "feedback:panel_summaries",
                "feedback.view_panel_summaries",
                group="Feedback",
                order=55,
            )
        )

        # Dispute resolution.
        #
        #

        # Staff surveys and health checks.
        #
        #
