from django.urls import path

from observations.views import coverage
from observations.views import observations as views

app_name = "observations"

urlpatterns = [
    path("observations/", views.observation_list, name="observation_list"),
    path("observations/new/", views.observation_new, name="observation_new"),
    path("observations/coverage/", coverage.coverage, name="coverage"),
    path(
        "observations/coverage/practitioners/",
        coverage.coverage_practitioners,
        name="coverage_practitioners",
    ),
    path("observations/coverage/managers/", coverage.coverage_managers, name="coverage_managers"),
    path("observations/<int:observation_pk>/", views.observation_detail, name="observation_detail"),
    path("observations/<int:observation_pk>/details/", views.details, name="details"),
    path("observations/<int:observation_pk>/record/", views.record, name="record"),
    path("observations/<int:observation_pk>/reflection/", views.reflection, name="reflection"),
    path(
        "observations/<int:observation_pk>/ask-for-reflection/",
        views.ask_for_reflection,
        name="ask_for_reflection",
    ),
    path("observations/<int:observation_pk>/submit/", views.submit, name="submit"),
    path("observations/<int:observation_pk>/moderate/", views.moderate, name="moderate"),
    path("observations/<int:observation_pk>/actions/new/", views.action_new, name="action_new"),
    path(
        "observations/actions/<int:observation_action_pk>/done/",
        views.action_done,
        name="action_done",
    ),
]
