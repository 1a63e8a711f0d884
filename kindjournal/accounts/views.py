from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from kindjournal.accounts import two_factor
from kindjournal.accounts.forms import (
    CountedPasswordChangeForm,
    LoginCodeForm,
    LoginForm,
    LoginRecoveryCodeForm,
    ProfileForm,
    SignupForm,
    TwoFactorOffForm,
    TwoFactorSetupForm,
)
from kindjournal.accounts.models import RateLimitCount
from kindjournal.client_ip import client_ip
from kindjournal.qr import qr_data_uri


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


# Two-factor sign-in


class LoginView(auth_views.LoginView):
    """Django's log-in; for someone with two-factor on, a right password leads to the code
    step (login_code) instead of logging in."""

    authentication_form = LoginForm

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.is_on(user):
            return super().form_valid(form)
        two_factor.begin_login(self.request, user, next_url=self.get_success_url())
        return redirect("login_code")


@require_http_methods(["GET", "HEAD", "POST"])
def login_code(request, recovery=False):
    """The log-in's second step. Who it is for comes only from this session's pending log-in
    (kindjournal/accounts/two_factor.py), never from the request."""
    user = two_factor.pending_login_user(request)
    if user is None:
        minutes = two_factor.PENDING_LOGIN_SECONDS // 60
        messages.info(
            request,
            f"Log in with your password first: the code follows it within {minutes} minutes.",
        )
        return redirect("login")
    form_class = LoginRecoveryCodeForm if recovery else LoginCodeForm
    if request.method == "POST":
        credentials = {"username": user.get_username()}
        if AxesProxyHandler.is_locked(request, credentials):
            return get_lockout_response(request, None, credentials)
        form = form_class(request.POST, request=request, user=user)
    else:
        form = form_class(request=request, user=user)
    if form.is_valid():
        return redirect(two_factor.finish_login(request, user))
    context = {"form": form, "recovery": recovery, "title": "Two-factor sign-in"}
    return render(request, "registration/login_code.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request):
    """In place of the admin's own log-in, which would let staff in on the password alone."""
    query = {REDIRECT_FIELD_NAME: request.GET.get(REDIRECT_FIELD_NAME, reverse("admin:index"))}
    return redirect(f"{reverse('login')}?{urlencode(query)}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def two_factor_settings(request):
    """Settings → Security: whether two-factor is on; POST starts setting it up."""
    if request.method == "POST" and not two_factor.is_on(request.user):
        two_factor.start_setup(request.user)
        return redirect("two_factor")
    return _two_factor_page(request)


@login_required
@require_POST
def two_factor_confirm(request):
    device = two_factor.pending_device(request.user)
    if device is None:  # on already (another tab), or never set up
        return redirect("two_factor")
    form = TwoFactorSetupForm(request.POST, device=device)
    if form.is_valid():
        codes = two_factor.turn_on(request.user, form.cleaned_data["otp_token"])
        if codes is not None:
            # Shown in this response only, never again: no page can show them later.
            context = {"codes": codes, "title": "Save your recovery codes"}
            return render(request, "accounts/two_factor_codes.html", context)
        form.add_error(
            "otp_token",
            "That code is not right. Check that the app shows KindJournal, then "
            "enter the code it shows now.",
        )
    return _two_factor_page(request, setup_form=form)


@login_required
@require_POST
def two_factor_off(request):
    form = TwoFactorOffForm(request.POST, request=request)
    if not two_factor.is_on(request.user):
        return redirect("two_factor")
    if form.is_valid():
        two_factor.turn_off(request.user)
        messages.success(request, "Two-factor sign-in is off. Your password alone logs you in.")
        return redirect("two_factor")
    return _two_factor_page(request, off_form=form)


def _two_factor_page(request, setup_form=None, off_form=None):
    user = request.user
    context = {"title": "Security", "on": two_factor.is_on(user)}
    if context["on"]:
        context["off_form"] = off_form or TwoFactorOffForm(request=request)
        context["codes_left"] = two_factor.recovery_codes_left(user)
    elif device := two_factor.pending_device(user):
        context["setup_form"] = setup_form or TwoFactorSetupForm(device=device)
        context["secret"] = two_factor.secret_text(device)
        context["qr"] = qr_data_uri(device.config_url)
    return render(request, "accounts/two_factor.html", context)
