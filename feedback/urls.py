from django.urls import path

from feedback.views import voices

app_name = "feedback"

# One block per kind of record; paths never change once published.
urlpatterns = [
    # Feedback, themes and "you said, we did" (views/voices.py).
    path("feedback/", voices.feedback_list, name="feedback_list"),
    path("feedback/new/", voices.feedback_new, name="feedback_new"),
    path("feedback/figures/", voices.feedback_figures, name="feedback_figures"),
    path("feedback/<int:feedback_pk>/", voices.feedback_detail, name="feedback_detail"),
    path("feedback/<int:feedback_pk>/respond/", voices.feedback_respond, name="feedback_respond"),
    path("feedback/<int:feedback_pk>/themes/", voices.feedback_themes, name="feedback_themes"),
    path("feedback/ask/<int:case_pk>/", voices.feedback_ask, name="feedback_ask"),
    path("feedback/links/<int:link_pk>/withdraw/", voices.link_withdraw, name="link_withdraw"),
    path("feedback/themes/", voices.theme_list, name="theme_list"),
    path("feedback/themes/<int:feedback_theme_pk>/", voices.theme_edit, name="theme_edit"),
    path("feedback/you-said-we-did/", voices.you_said_list, name="you_said_list"),
    path("feedback/you-said-we-did/new/", voices.you_said_new, name="you_said_new"),
    path(
        "feedback/you-said-we-did/<int:you_said_pk>/",
        voices.you_said_detail,
        name="you_said_detail",
    ),
    path(
        "feedback/you-said-we-did/<int:you_said_pk>/publish/",
        voices.you_said_publish,
        name="you_said_publish",
    ),
    # The page for families, open without an account.
    path(
        "you-said-we-did/<slug:organisation_slug>/",
        voices.you_said_public,
        name="you_said_public",
    ),
    # Questionnaires raised by journey events (views/questionnaires.py).
    #
    #
    # Complaints and compliments (views/complaints.py).
    #
    #
    # Adoption panel evaluations (views/evaluations.py).
    #
    #
    # Dispute resolution (views/disputes.py).
    #
    #
    # Staff surveys and health checks (views/staff_voice.py).
    #
    #
]
