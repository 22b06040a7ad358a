from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Feedback, complaints and panel evaluations"

    def ready(self) -> None:
        from core import registry  # noqa: F401
        from core.navigation import NavEntry  # noqa: F401

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
        #
        #

        # Staff surveys and health checks.
        #
        #
