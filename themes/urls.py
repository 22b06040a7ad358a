from django.urls import path

from themes import views

app_name = "themes"

urlpatterns = [
    path("themes/", views.theme_list, name="theme_list"),
    path("themes/new/", views.theme_new, name="theme_new"),
    path("themes/<int:theme_pk>/", views.theme_detail, name="theme_detail"),
    path("themes/<int:theme_pk>/edit/", views.theme_edit, name="theme_edit"),
    path("themes/<int:theme_pk>/status/", views.theme_status, name="theme_status"),
    path("themes/<int:theme_pk>/sample/", views.theme_sample, name="theme_sample"),
    path("themes/<int:theme_pk>/findings/", views.theme_findings, name="theme_findings"),
]
