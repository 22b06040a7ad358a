from django.urls import path

from feedback.views import evaluations

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
    path("panel-evaluations/", evaluations.panel_meeting_list, name="panel_meeting_list"),
    path("panel-evaluations/summaries/", evaluations.panel_summaries, name="panel_summaries"),
    path(
        "panel-evaluations/summaries/items/",
        evaluations.panel_summary_items,
        name="panel_summary_items",
    ),
    path(
        "panel-evaluations/meetings/<int:panel_meeting_pk>/",
        evaluations.panel_meeting_detail,
        name="panel_meeting_detail",
    ),
    path(
        "panel-evaluations/items/<int:panel_item_pk>/",
        evaluations.panel_item_feedback,
        name="panel_item_feedback",
    ),
    path(
        "panel-evaluations/items/<int:panel_item_pk>/evaluate/",
        evaluations.panel_item_evaluate,
        name="panel_item_evaluate",
    ),
    path(
        "panel-evaluations/items/<int:panel_item_pk>/collate/",
        evaluations.panel_item_collate,
        name="panel_item_collate",
    ),
    # Dispute resolution (views/disputes.py).
    #
    #
    # Staff surveys and health checks (views/staff_voice.py).
    #
    #
]
