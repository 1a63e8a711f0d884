from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kindjournal.accounts"
    label = "accounts"

    def ready(self):
        # The project's own system checks register on import.
        from kindjournal import checks  # noqa: F401
