from django.contrib import admin
from django.urls import include, path

from kindjournal import account_views
from kindjournal.accounts.views import admin_login

urlpatterns = [
    # Under accounts/ for the person, but project-level code: they reach every app's tables.
    path("accounts/export/", account_views.export_account, name="account_export"),
    path("accounts/delete/", account_views.delete_account_view, name="account_delete"),
    path("accounts/", include("kindjournal.accounts.urls")),
    # Ahead of (so in place of) the admin's own log-in: staff log in as everyone does.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("insights/", include("kindjournal.insights.urls")),
    path("export/", include("kindjournal.exports.urls")),
    path("import/", include("kindjournal.imports.urls")),
    path("", include("kindjournal.sharing.urls")),
    path("reminders/", include("kindjournal.reminders.urls")),
    path("calendar/", include("kindjournal.moodcalendar.urls")),
    path("", include("kindjournal.offline.urls")),
    path("", include("kindjournal.journal.urls")),
]

# The app's 404 page, except under /s/ (shared links), where it is the links' neutral page.
handler404 = "kindjournal.sharing.views.page_not_found"
