from django.contrib.auth import views as auth_views
from django.urls import include, path

from kindjournal.accounts import views
from kindjournal.accounts.forms import LoginForm

# Django's own login, logout (POST), password change and reset views, under their usual names
# (login, logout, password_change, password_reset, ...), with templates in templates/registration/.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("settings/", views.account_settings, name="account_settings"),
    # Ahead of (so in place of) Django's own: log-in takes the username in any letter case;
    # password reset says so when this server cannot send e-mail; password change counts wrong
    # old passwords toward the lockout.
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("password_reset/", views.password_reset, name="password_reset"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("", include("django.contrib.auth.urls")),
]
