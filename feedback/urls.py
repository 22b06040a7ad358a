from django.urls import path

from feedback.views import questionnaires

app_name = "feedback"

# One block per kind of record; paths never change once published.
urlpatterns: list = [
    # Feedback, themes and "you said, we did" (views/voices.py).
    #
    #
    # Questionnaires raised by journey events (views/questionnaires.py).
    path("questionnaires/", questionnaires.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/scores/", questionnaires.scores, name="questionnaire_scores"),
    path(
        "questionnaires/<int:questionnaire_pk>/",
        questionnaires.questionnaire_detail,
        name="questionnaire_detail",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/links/",
        questionnaires.link_new,
        name="questionnaire_link_new",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/links/withdraw/",
        questionnaires.link_withdraw,
        name="questionnaire_link_withdraw",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/answers/",
        questionnaires.paper_answers,
        name="questionnaire_paper",
    ),
    path(
        "questionnaires/<int:questionnaire_pk>/close/",
        questionnaires.close,
        name="questionnaire_close",
    ),
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
