from django.apps import AppConfig


class OfflineConfig(AppConfig):
    name = "kindjournal.offline"
    label = "offline"
