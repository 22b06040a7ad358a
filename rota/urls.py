from django.urls import path

from rota import views

app_name = "rota"

urlpatterns = [
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("rota/", views.rota_list, name="rota_list"),
    path("rota/rules/", views.rota_rules, name="rota_rules"),
    path("rota/<int:rota_pk>/", views.rota_detail, name="rota_detail"),
    path("rota/<int:rota_pk>/compliance/", views.rota_compliance, name="rota_compliance"),
    path("rota/slots/<int:slot_pk>/", views.slot_detail, name="slot_detail"),
    path("rota/slots/<int:slot_pk>/change/", views.slot_change, name="slot_change"),
]
