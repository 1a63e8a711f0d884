from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from kindjournal.accounts.forms import ProfileForm, SignupForm


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=settings.SIGNUP_RATE, method="POST", block=True)
def signup(request):
    if request.user.is_authenticated:
        return redirect("journal:today")
    form = SignupForm(request.POST or None)
    if form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to KindJournal. How was today?")
        return redirect("journal:today")
    return render(request, "registration/signup.html", {"form": form, "title": "Sign up"})


def locked_out(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: too many failed log-ins for one username from one address."""
    context = {
        "failures": settings.AXES_FAILURE_LIMIT,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def signup_rate_limited(request, exception):
    """RATELIMIT_VIEW: too many sign-ups from one address."""
    return render(request, "registration/signup_limited.html", status=429)


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    form = ProfileForm(request.POST or None, instance=request.profile)
    if form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form, "title": "Settings"})
