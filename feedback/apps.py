from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "feedback"
    verbose_name = "Feedback, complaints and panel evaluations"

    def ready(self) -> None:
        from core import registry
        from core.navigation import NavEntry
        from feedback import demo, home, panels, selectors, voices
        from feedback.forms.voices import family_feedback_form

        # One block per kind of record: navigation entries, record panels, home cards,
        # action and reminder sources, demo loaders (called in registration order). The
        # Feedback group lists each kind's list page; its figures open from the list.
        # Feedback, themes and "you said, we did".
        registry.link_purposes.register(
            registry.LinkPurpose(
                key=voices.LINK_PURPOSE,
                label="Feedback",
                form=family_feedback_form,
                save=lambda link, form: voices.feedback_from_link(
                    link=link, answers=form.cleaned_data
                ),
                template="feedback/public/family_feedback.html",
                title=lambda link: "Tell us what you think",
            )
        )
        registry.record_panels.register(panels.record_feedback_panel)
        registry.home_cards.register(home.feedback_card)
        registry.demo_loaders.register(demo.load)
        for label, url_name, permission, order in (
            ("Feedback", "feedback:feedback_list", "feedback.view_feedback", 50),
            ("You said, we did", "feedback:you_said_list", "feedback.view_you_said", 52),
        ):
            registry.navigation.register(
                NavEntry(label, url_name, permission, group="Feedback", order=order)
            )

        # Questionnaires raised by journey events.
        _questionnaires_ready()
        #
        # Complaints and compliments.
        from feedback import (
            complaints,
            demo_complaints,
            home_complaints,
            panels_complaints,
            reminders_complaints,
        )

        registry.record_panels.register(panels_complaints.record_complaints_panel)
        registry.home_cards.register(home_complaints.complaints_card)
        registry.action_sources.register(complaints.complaint_action_items)
        registry.improvement_sources.register(selectors.improvement_items)
        for source in reminders_complaints.SOURCES:
            registry.reminder_sources.register(source)
        registry.demo_loaders.register(demo_complaints.load)
        for label, url_name, permission, order in (
            ("Complaints", "feedback:complaint_list", "feedback.view_complaints", 53),
            ("Compliments", "feedback:compliment_list", "feedback.view_compliments", 54),
        ):
            registry.navigation.register(
                NavEntry(label, url_name, permission, group="Feedback", order=order)
            )

        # Adoption panel evaluations.
        from feedback import demo_evaluations, evaluations, home_evaluations, reminders_evaluations

        registry.record_panels.register(home_evaluations.record_panel_items)
        registry.home_cards.register(home_evaluations.panel_feedback_card)
        registry.action_sources.register(evaluations.panel_action_items)
        for source in reminders_evaluations.SOURCES:
            registry.reminder_sources.register(source)
        registry.demo_loaders.register(demo_evaluations.load)
        registry.navigation.register(
            NavEntry(
                "Adoption panel",
                "feedback:panel_meeting_list",
                "feedback.view_panel_meetings",
                group="Feedback",
                order=56,
            )
        )

        # Dispute resolution.
        from feedback import demo_disputes, disputes, home_disputes
        from feedback.views.disputes import record_challenges_panel

        registry.record_panels.register(record_challenges_panel)
        registry.home_cards.register(home_disputes.challenges_card)
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
                order=58,
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
                order=60,
            )
        )


def _questionnaires_ready() -> None:
    """Questionnaires: the link purpose, the signal that raises them, the record panel,
    the demo loader and the navigation entries."""
    from core import registry
    from core.navigation import NavEntry
    from feedback import (
        demo_questionnaires,
        home_questionnaires,
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
    registry.home_cards.register(home_questionnaires.questionnaires_card)
    registry.demo_loaders.register(demo_questionnaires.load)
    registry.navigation.register(
        NavEntry(
            "Questionnaires",
            "feedback:questionnaire_list",
            "feedback.view_questionnaires",
            group="Feedback",
            order=61,
        )
    )
