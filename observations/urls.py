from django.urls import path

from observations.views import coverage, events
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
    path("practice-events/", events.event_list, name="event_list"),
    path("practice-events/new/", events.event_new, name="event_new"),
    path("practice-events/<int:event_pk>/", events.event_detail, name="event_detail"),
    path("practice-events/<int:event_pk>/edit/", events.event_edit, name="event_edit"),
    path("practice-events/<int:event_pk>/visits/new/", events.visit_new, name="visit_new"),
    path(
        "practice-events/<int:event_pk>/observations/new/",
        events.observation_new,
        name="event_observation_new",
    ),
    path("practice-events/<int:event_pk>/findings/new/", events.finding_new, name="finding_new"),
    path("practice-events/<int:event_pk>/actions/new/", events.action_new, name="event_action_new"),
    path("practice-events/visits/<int:visit_pk>/", events.visit_detail, name="visit_detail"),
    path(
        "practice-events/actions/<int:event_action_pk>/done/",
        events.action_done,
        name="event_action_done",
    ),
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
