from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kindjournal.accounts"
    label = "accounts"
