from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "kindjournal.imports"
    label = "imports"
