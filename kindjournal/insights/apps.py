from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "kindjournal.insights"
    label = "insights"
