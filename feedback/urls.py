from django.urls import path

from feedback.views import complaints

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
    path("complaints/", complaints.complaint_list, name="complaint_list"),
    path("complaints/new/", complaints.complaint_new, name="complaint_new"),
    path("complaints/figures/", complaints.complaint_figures, name="complaint_figures"),
    path("complaints/<int:complaint_pk>/", complaints.complaint_detail, name="complaint_detail"),
    path("complaints/<int:complaint_pk>/respond/", complaints.respond, name="complaint_respond"),
    path("complaints/<int:complaint_pk>/extend/", complaints.extend, name="complaint_extend"),
    path("complaints/<int:complaint_pk>/escalate/", complaints.escalate, name="complaint_escalate"),
    path("complaints/<int:complaint_pk>/close/", complaints.close, name="complaint_close"),
    path("complaints/<int:complaint_pk>/learning/", complaints.learning, name="complaint_learning"),
    path(
        "complaints/<int:complaint_pk>/points/new/",
        complaints.point_new,
        name="complaint_point_new",
    ),
    path(
        "complaints/<int:complaint_pk>/actions/new/",
        complaints.action_new,
        name="complaint_action_new",
    ),
    path(
        "complaints/actions/<int:complaint_action_pk>/done/",
        complaints.action_done,
        name="complaint_action_done",
    ),
    path("compliments/", complaints.compliment_list, name="compliment_list"),
    path("compliments/new/", complaints.compliment_new, name="compliment_new"),
    path(
        "compliments/<int:compliment_pk>/", complaints.compliment_detail, name="compliment_detail"
    ),
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
