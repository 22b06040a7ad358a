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
        #
        #
        # Dispute resolution.
        from feedback import demo_disputes, disputes
        from feedback.views.disputes import record_challenges_panel

        registry.record_panels.register(record_challenges_panel)
        registry.action_sources.register(disputes.challenge_action_items)
        for source in disputes.REMINDER_SOURCES:
            registry.reminder_sources.register(source)
        registry.demo_loaders.register(demo_disputes.load)
        registry.navigation.register(
            NavEntry(
                "Challenges",
                "feedback:challenge_list",
                "feedback.view_challenges",
                group="Feedback",
                order=54,
            )
        )
        registry.navigation.register(
            NavEntry(
                "Challenge figures",
                "feedback:dispute_figures",
                "feedback.view_challenge_figures",
                group="Feedback",
                order=55,
            )
        )

        # Staff surveys and health checks.
        from feedback import demo_staff_voice

        registry.demo_loaders.register(demo_staff_voice.load)
        registry.navigation.register(
            NavEntry(
                "Staff surveys",
                "feedback:survey_list",
                "feedback.view_staff_surveys",
                group="Feedback",
                order=57,
            )
        )
