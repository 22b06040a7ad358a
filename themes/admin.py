from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from themes.models import ThematicReview, ThemeAudit


class ThemeAuditInline(admin.TabularInline):
    """The audits of the theme's dip sample."""

    model = ThemeAudit
    extra = 0
    raw_id_fields = ("audit",)


@admin.register(ThematicReview)
class ThematicReviewAdmin(SimpleHistoryAdmin):
    inlines = (ThemeAuditInline,)
    list_display = ("title", "organisation", "status", "month")
    list_filter = ("status", "organisation")
    search_fields = ("title",)
    raw_id_fields = ("tool", "proposed_by")
