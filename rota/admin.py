from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from rota.models import QARules, Rota, RotaSlot


@admin.register(QARules)
class QARulesAdmin(SimpleHistoryAdmin):
    list_display = ("organisation", "quota", "quota_period", "reminder_days", "escalation_days")
    raw_id_fields = ("updated_by",)


@admin.register(Rota)
class RotaAdmin(admin.ModelAdmin):
    list_display = ("organisation", "starts_on", "ends_on")
    list_filter = ("organisation",)
    raw_id_fields = ("created_by",)


@admin.register(RotaSlot)
class RotaSlotAdmin(SimpleHistoryAdmin):
    list_display = ("manager", "month", "activity", "status", "organisation")
    list_filter = ("status", "activity", "organisation")
    raw_id_fields = ("rota", "manager", "case", "audit")
