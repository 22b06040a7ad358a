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
        _questionnaires_ready()
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


def _questionnaires_ready() -> None:
    """Questionnaires: the link purpose, the signal that raises them, the record panel,
    the demo loader and the navigation entries."""
    from core import registry
    from core.navigation import NavEntry
    from feedback import (
        demo_questionnaires,
        panels_questionnaires,
        questionnaires,
        signals,  # noqa: F401
    )

    registry.link_purposes.register(
        registry.LinkPurpose(
            key=questionnaires.LINK_PURPOSE,
            label="Questionnaire",
            form=questionnaires.link_form,
            save=questionnaires.link_save,
            template="feedback/questionnaires/public_form.html",
            title=questionnaires.link_title,
        )
    )
    registry.record_panels.register(panels_questionnaires.record_questionnaires_panel)
    registry.demo_loaders.register(demo_questionnaires.load)
    registry.navigation.register(
        NavEntry(
            "Questionnaires",
            "feedback:questionnaire_list",
            "feedback.view_questionnaires",
            group="Feedback",
            order=52,
        )
    )
    registry.navigation.register(
        NavEntry(
            "Questionnaire scores",
            "feedback:questionnaire_scores",
            "feedback.view_questionnaire_scores",
            group="Feedback",
            order=53,
        )
    )
