from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "kindjournal.sharing"
    label = "sharing"
