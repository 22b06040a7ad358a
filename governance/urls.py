from django.urls import path  # noqa: F401

app_name = "governance"

# One block per feature; paths never change once published.
urlpatterns: list = [
    # The Quality Improvement Action Plan (views/plan.py).
    # Board dashboards, SPC and triangulation (views/board.py).
    # The regional view: partner councils side by side (views/regional.py).
]
