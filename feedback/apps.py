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
        from feedback import complaints, demo_complaints, panels_complaints, reminders_complaints

        registry.record_panels.register(panels_complaints.record_complaints_panel)
        registry.action_sources.register(complaints.complaint_action_items)
        for source in reminders_complaints.SOURCES:
            registry.reminder_sources.register(source)
        registry.demo_loaders.register(demo_complaints.load)
        for label, url_name, permission, order in (
            ("Complaints", "feedback:complaint_list", "feedback.view_complaints", 50),
            ("Compliments", "feedback:compliment_list", "feedback.view_compliments", 52),
            (
                "Complaint figures",
                "feedback:complaint_figures",
                "feedback.view_complaint_figures",
                54,
            ),
        ):
            registry.navigation.register(
                NavEntry(label, url_name, permission, group="Feedback", order=order)
            )

        # Adoption panel evaluations.
        #
        #

        # Dispute resolution.
        #
        #

        # Staff surveys and health checks.
        #
        #
