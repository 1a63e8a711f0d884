from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from kindjournal.accounts.data import account_export, delete_account
from kindjournal.accounts.forms import DeleteAccountForm, ProfileForm, SignupForm


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


@login_required
@require_GET
@cache_control(no_store=True)
def export_account(request):
    response = JsonResponse(account_export(request.user), json_dumps_params={"indent": 2})
    filename = f"kindjournal_account_{request.profile.today().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request):
    form = DeleteAccountForm(request.POST or None, request=request)
    if form.is_valid():
        user = request.user
        with transaction.atomic():
            logout(request)
            delete_account(user)
        messages.success(request, "Your account and everything in it have been deleted.")
        return redirect("journal:today")
    return render(request, "accounts/delete.html", {"form": form, "title": "Delete your account"})
