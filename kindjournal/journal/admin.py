from django.contrib import admin
from django.db import transaction

from kindjournal.accounts.models import Profile
from kindjournal.journal.models import DayEntry, KindnessAct

# Notes and act descriptions are the most private things people write here, and staff need
# neither to run the site: the admin never shows them (not in lists, forms or object names,
# KindnessAct.__str__ included) and never searches them, since a search by a word would
# reveal who wrote it. People are found by username.


class JournalAdmin(admin.ModelAdmin):
    """Every admin write moves on the revision of each person whose journal it touches
    (Profile.objects.bump_journal_revision), in the write's own transaction: the admin wraps
    each change view and action in one."""

    def save_model(self, request, obj, form, change):
        users = {obj.user_id}
        if change and "user" in form.changed_data:
            users.add(form.initial["user"])  # moved to another person: both journals change
        with transaction.atomic():
            for user_id in sorted(users):
                Profile.objects.bump_journal_revision(user_id)
            super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        with transaction.atomic():
            Profile.objects.bump_journal_revision(obj.user_id)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for user_id in sorted(set(queryset.values_list("user_id", flat=True))):
                Profile.objects.bump_journal_revision(user_id)
            super().delete_queryset(request, queryset)


@admin.register(DayEntry)
class DayEntryAdmin(JournalAdmin):
    list_display = ["date", "user", "mood", "recorded_on", "updated_at"]
    list_filter = ["mood", "date"]
    search_fields = ["user__username"]
    exclude = ["note"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]


@admin.register(KindnessAct)
class KindnessActAdmin(JournalAdmin):
    list_display = ["date", "user", "category"]
    list_filter = ["category", "date"]
    search_fields = ["user__username"]
    exclude = ["description"]
    date_hierarchy = "date"
    raw_id_fields = ["user"]

    def has_add_permission(self, request):
        # An act is its description, which this admin does not take: people add their own.
        return False
