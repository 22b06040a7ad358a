from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from themes.models import ThematicReview


@admin.register(ThematicReview)
class ThematicReviewAdmin(SimpleHistoryAdmin):
    list_display = ("title", "organisation", "status", "month")
    list_filter = ("status", "organisation")
    search_fields = ("title",)
    raw_id_fields = ("tool", "proposed_by")
