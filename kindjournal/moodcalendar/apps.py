from django.apps import AppConfig


class MoodCalendarConfig(AppConfig):
    # Not "calendar": the stdlib module of that name is imported by Django and by this app.
    name = "kindjournal.moodcalendar"
    label = "moodcalendar"
