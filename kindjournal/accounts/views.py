from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kindjournal.accounts.forms import (
    CountedPasswordChangeForm,
    ProfileForm,
    SignupForm,
)
from kindjournal.accounts.models import RateLimitCount
from kindjournal.client_ip import client_ip


@require_http_methods(["GET", "HEAD", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("journal:today")
    if request.method == "POST":
        # Every sign-up attempt counts, a refused one too: SIGNUP_RATE is (attempts, seconds),
        # in any sliding window of that length.
        limit, period = settings.SIGNUP_RATE
        retry_after = RateLimitCount.objects.hit_sliding(
            "signup", client_ip(request), limit, period
        )
        if retry_after is not None:
            response = render(request, "registration/signup_limited.html", status=429)
            response["Retry-After"] = str(retry_after)
            return response
    form = SignupForm(request.POST) if request.method == "POST" else SignupForm()
    user = form.save_account() if form.is_valid() else None
    if user is not None:
        login(request, user, backend="kindjournal.accounts.lockout.LockoutCountedBackend")
        messages.success(request, "Welcome to KindJournal. How was today?")
        return redirect("journal:today")
    return render(request, "registration/signup.html", {"form": form, "title": "Sign up"})


@require_http_methods(["GET", "HEAD", "POST"])
def password_reset(request):
    """Django's password reset, on a server that can send e-mail (PASSWORD_RESET_BY_EMAIL)."""
    if not settings.PASSWORD_RESET_BY_EMAIL:
        context = {"title": "Password reset"}
        return render(request, "registration/password_reset_unavailable.html", context)
    return auth_views.PasswordResetView.as_view()(request)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own, with wrong old passwords counted toward the log-in lockout."""

    form_class = CountedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


def locked_out(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: too many failed log-ins for one username from one address."""
    context = {
        "failures": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def account_settings(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.profile, request=request)
    else:
        form = ProfileForm(instance=request.profile, request=request)
    if form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form, "title": "Settings"})
