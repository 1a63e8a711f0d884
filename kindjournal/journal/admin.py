from django.contrib import admin

from kindjournal.journal.models import DayEntry, KindnessAct


@admin.register(DayEntry)
class DayEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "mood", "recorded_on", "updated_at"]
    list_filter = ["mood", "date"]
    search_fields = ["user__username", "note"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]


@admin.register(KindnessAct)
class KindnessActAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "category", "description"]
    list_filter = ["category", "date"]
    search_fields = ["user__username", "description"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]
