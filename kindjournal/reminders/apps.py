from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "kindjournal.reminders"
    label = "reminders"
