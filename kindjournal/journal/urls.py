from django.urls import path, register_converter

from kindjournal.journal import views
from kindjournal.journal.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "journal"
urlpatterns = [
    path("", views.today, name="today"),
    path("day/<isodate:day>/", views.day, name="day"),
    path("day/<isodate:day>/acts/", views.add_act, name="add_act"),
    path("acts/<int:pk>/delete/", views.delete_act, name="delete_act"),
    path("history/", views.history, name="history"),
]
