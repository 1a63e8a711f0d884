from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "kindjournal.journal"
    label = "journal"
