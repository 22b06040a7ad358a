from django.urls import path

from feedback.views import disputes, staff_voice

app_name = "feedback"

# One block per kind of record; paths never change once published.
urlpatterns: list = [
    # Feedback, themes and "you said, we did" (views/voices.py).
    #
    #
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
    path("challenges/", disputes.challenge_list, name="challenge_list"),
    path("challenges/figures/", disputes.dispute_figures, name="dispute_figures"),
    path("challenges/timescales/", disputes.dispute_timescales, name="dispute_timescales"),
    path("challenges/new/<int:case_pk>/", disputes.challenge_new, name="challenge_new"),
    path("challenges/<int:challenge_pk>/", disputes.challenge_detail, name="challenge_detail"),
    path(
        "challenges/<int:challenge_pk>/respond/",
        disputes.challenge_respond,
        name="challenge_respond",
    ),
    path(
        "challenges/<int:challenge_pk>/escalate/",
        disputes.challenge_escalate,
        name="challenge_escalate",
    ),
    path(
        "challenges/<int:challenge_pk>/close/",
        disputes.challenge_resolve,
        name="challenge_resolve",
    ),
    path(
        "challenges/actions/<int:challenge_action_pk>/done/",
        disputes.challenge_action_complete,
        name="challenge_action_complete",
    ),
    # Staff surveys and health checks (views/staff_voice.py).
    path("staff-voice/", staff_voice.survey_list, name="survey_list"),
    path("staff-voice/import/", staff_voice.survey_import, name="survey_import"),
    path("staff-voice/<int:survey_pk>/", staff_voice.survey_results, name="survey_results"),
]
