from django.urls import path

from kindjournal.moodcalendar import views

app_name = "moodcalendar"
urlpatterns = [
    path("", views.calendar, name="calendar"),
]
