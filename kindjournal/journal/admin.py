from django.contrib import admin

from kindjournal.journal.models import DayEntry, KindnessAct

# Notes and act descriptions are the most private things people write here, and staff need
# neither to run the site: the admin never shows them (not in lists, forms or object names,
# KindnessAct.__str__ included) and never searches them, since a search by a word would
# reveal who wrote it. People are found by username.


@admin.register(DayEntry)
class DayEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "mood", "recorded_on", "updated_at"]
    list_filter = ["mood", "date"]
    search_fields = ["user__username"]
    exclude = ["note"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]


@admin.register(KindnessAct)
class KindnessActAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "category"]
    list_filter = ["category", "date"]
    search_fields = ["user__username"]
    exclude = ["description"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        # An act is its description, which this admin does not take: people add their own.
        return False
