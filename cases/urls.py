from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list, name="case_list"),
    path("children/<int:child_pk>/", views.child_detail, name="child_detail"),
    path("adopters/<int:adopter_pk>/", views.adopter_detail, name="adopter_detail"),
    path("access-log/", views.access_log, name="access_log"),
    path("notifications/", views.notifications, name="notifications"),
    path("actions/", views.my_actions, name="my_actions"),
]
