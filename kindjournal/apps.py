from django.apps import AppConfig


class KindJournalConfig(AppConfig):
    """The project itself, as an app: registers the project-wide system checks."""

    name = "kindjournal"
    label = "kindjournal"
    verbose_name = "KindJournal"

    def ready(self):
        from kindjournal import checks  # noqa: F401  (checks register on import)
