from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "kindjournal.exports"
    label = "exports"
