from django.urls import path

from kindjournal.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:token>/", views.preview, name="preview"),
    path("<uuid:token>/cancel/", views.cancel, name="cancel"),
]
