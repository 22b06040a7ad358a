from django.urls import path  # noqa: F401

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
    #
    #
    # Staff surveys and health checks (views/staff_voice.py).
    #
    #
]
