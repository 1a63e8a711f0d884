from django.urls import include, path

from kindjournal.accounts import views

# Django's own login, logout (POST), password change and reset views, under their usual names
# (login, logout, password_change, password_reset, ...), with templates in templates/registration/.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("settings/", views.account_settings, name="account_settings"),
    # Ahead of (so in place of) Django's own: log-in takes the username in any letter case and
    # asks for the second factor of those who turned it on;
    # password reset says so when this server cannot send e-mail; password change counts wrong
    # old passwords toward the lockout.
    path("login/", views.LoginView.as_view(), name="login"),
    # Two-factor sign-in: the log-in's second step, and Settings → Security.
    path("login/code/", views.login_code, name="login_code"),
    path("login/recovery-code/", views.login_code, {"recovery": True}, name="login_recovery"),
    path("two-factor/", views.two_factor_settings, name="two_factor"),
    path("two-factor/confirm/", views.two_factor_confirm, name="two_factor_confirm"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("password_reset/", views.password_reset, name="password_reset"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("", include("django.contrib.auth.urls")),
]
