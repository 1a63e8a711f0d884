"""The log-in lockout, counted before the password is checked.

django-axes records a failure once a wrong password has been checked, and lets a log-in through
while fewer than AXES_FAILURE_LIMIT are recorded. Checks sent at once would all pass that test
before any of them records its failure, fitting (limit - 1 + workers) guesses into one cool-off.
So each check first claims a place among the checks under way (LoginCheck, counted atomically
in the database) and goes ahead only if the failures recorded plus the checks under way stay
within the limit. A check's place is given back only once its outcome is recorded: at once for
a right password, after django-axes has counted a wrong one (`failure_recorded`).
"""

import hashlib

from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import transaction

from kindjournal.accounts.models import LoginCheck
from kindjournal.client_ip import client_ip

# Set on the request while a wrong password's check still holds its place.
PENDING = "kindjournal_login_check"


def check_key(request, username):
    return hashlib.sha256(f"{username}\n{client_ip(request)}".encode()).hexdigest()


class LockoutCountedBackend(ModelBackend):
    """Django's ModelBackend, after django-axes' own backend in AUTHENTICATION_BACKENDS."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None:
            return super().authenticate(request, username, password, **kwargs)
        key = check_key(request, username)
        with transaction.atomic():
            under_way = LoginCheck.objects.claim(key)
            failures = AxesProxyHandler.get_failures(request, {"username": username})
        if failures + under_way > settings.AXES_FAILURE_LIMIT:
            LoginCheck.objects.release(key)
            # As django-axes' backend does for a locked-out pair: counted as a failure.
            raise AxesBackendPermissionDenied("Too many log-ins under way for this username.")
        user = None
        try:
            user = super().authenticate(request, username, password, **kwargs)
        finally:
            if user is None:
                # Django sends user_login_failed next: the place is given back after it.
                setattr(request, PENDING, key)
            else:
                LoginCheck.objects.release(key)
        return user


def failure_recorded(sender, credentials, request=None, **kwargs):
    """user_login_failed, connected after django-axes' own receiver (kindjournal.accounts is
    listed after axes in INSTALLED_APPS), which has recorded the failure by now."""
    key = getattr(request, PENDING, None)
    if key is not None:
        delattr(request, PENDING)
        LoginCheck.objects.release(key)
