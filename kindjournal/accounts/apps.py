from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kindjournal.accounts"
    label = "accounts"

    def ready(self):
        from django.contrib.auth.signals import user_login_failed

        from kindjournal.accounts.lockout import failure_recorded

        user_login_failed.connect(failure_recorded, dispatch_uid="login_check_failure_recorded")
