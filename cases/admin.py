from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from cases.models import (
    AccessLog,
    Adopter,
    Case,
    Child,
    JourneyEvent,
    Organisation,
    Region,
    Service,
    StaffMember,
    Team,
)


def _superusers_only(request: HttpRequest) -> bool:
    # The admin is not scoped by organisation, so only superusers may use it.
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
admin.site.site_header = "qaportal administration"

admin.site.register(Region)
admin.site.register(Organisation, list_display=["name", "kind", "region"])
admin.site.register(Service, list_display=["name", "kind", "organisation"])
admin.site.register(Team, list_display=["name", "service", "organisation"])


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role", "tier", "organisation", "team"]
    list_filter = ["role", "organisation"]
    list_select_related = ["user", "organisation", "team"]
    raw_id_fields = ["user", "line_manager"]


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "given_name", "family_name", "organisation"]
    search_fields = ["reference", "family_name"]


@admin.register(Adopter)
class AdopterAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "household_name", "organisation"]


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["pk", "organisation", "service", "team", "status", "journey_stage"]
    list_select_related = ["organisation", "service", "team"]
    raw_id_fields = ["child", "adopter", "allocated_worker"]


@admin.register(JourneyEvent)
class JourneyEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "occurred_on", "recorded_on", "case"]
    raw_id_fields = ["case", "recorded_by"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["viewed_at", "user", "action", "path", "organisation"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user", "children", "adopters"]
