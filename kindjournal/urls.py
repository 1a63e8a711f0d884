from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("kindjournal.accounts.urls")),
    path("admin/", admin.site.urls),
    path("insights/", include("kindjournal.insights.urls")),
    path("export/", include("kindjournal.exports.urls")),
    path("import/", include("kindjournal.imports.urls")),
    path("", include("kindjournal.sharing.urls")),
    path("", include("kindjournal.journal.urls")),
]
