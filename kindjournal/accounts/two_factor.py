"""Two-factor sign-in: an authenticator app (a django-otp TOTP device, RFC 6238) and ten
single-use recovery codes (a django-otp static device), both optional, per person.

Every code is checked through `django_otp.verify_token`, which locks the device row for the
check: a TOTP code is taken only for a time step after the last one accepted (django-otp's
`last_t`), so neither a replay nor the same code sent twice at once gets in, and a recovery
code is deleted as it is used, once.

django-otp stores static tokens as they are typed. Ours are stored hashed instead: the token
kept is `recovery_code_hash(code)`, and a typed code is hashed before django-otp looks for it.
A code has 80 random bits, so a fast hash is enough, as for share-link tokens.

Between the password and the code, the session holds a pending log-in (never
`_auth_user_id`): the person is anonymous to every view until the code is right, and the
pending log-in lapses after PENDING_LOGIN_SECONDS or when the password changes.
"""

import base64
import hashlib
import math
import secrets
import time

from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.utils import timezone
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
# Crockford's base32 (no i, l, o or u to misread); 16 characters are 80 bits.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_CODE_LENGTH = 16
PENDING_LOGIN_SECONDS = 5 * 60
PENDING_LOGIN_KEY = "two_factor_pending_login"


def is_on(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user):
    """The authenticator app being set up: shown, not yet confirmed by a first code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


@transaction.atomic
def start_setup(user):
    """The device to set up, made once: a double submit or a second tab shows the same secret."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).get()
    return pending_device(user) or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


def secret_text(device):
    """The secret as an app asks for it when typed in: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def turn_on(user, token):
    """Confirm the device being set up with its first code and turn two-factor on. Returns the
    new recovery codes (shown once, only their hashes kept), or None when the code is wrong or
    nothing is being set up (two tabs: the other one turned it on)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).get()
    device = pending_device(user)
    if device is None or verify_token(user, device.persistent_id, token) is None:
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _new_recovery_codes(user)


@transaction.atomic
def turn_off(user):
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def app_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user):
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def device_for(user, text):
    """The device a code typed in one field is for: recovery codes are 16 letters and digits."""
    return recovery_device(user) if is_recovery_code_shaped(text) else app_device(user)


def seconds_to_wait(device):
    """How long django-otp holds back the device's next check after wrong codes (1 s, then
    doubling with each wrong code in a row, from any address), or 0. A code sent sooner is
    not checked at all, so the person is told to wait rather than that a right code is wrong."""
    if device is None:
        return 0
    allowed, refusal = device.verify_is_allowed()
    if allowed or "locked_until" not in refusal:
        return 0
    return max(1, math.ceil((refusal["locked_until"] - timezone.now()).total_seconds()))


def verify_app_code(user, token):
    """Whether `token` is the app's code for a time step not used before (or None if off)."""
    device = app_device(user)
    return device is not None and verify_token(user, device.persistent_id, token) is not None


def use_recovery_code(user, code):
    """Whether `code` is one of the person's recovery codes; if so it is used up."""
    device = recovery_device(user)
    token = recovery_code_hash(code)
    return device is not None and verify_token(user, device.persistent_id, token) is not None


def verify_any_code(user, text):
    """An app code or a recovery code (used up), whichever `text` is shaped like."""
    if is_recovery_code_shaped(text):
        return use_recovery_code(user, text)
    return verify_app_code(user, "".join(text.split()))


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def normalize_recovery_code(text):
    """As typed, with any case, spaces and dashes."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def is_recovery_code_shaped(text):
    code = normalize_recovery_code(text)
    return len(code) == RECOVERY_CODE_LENGTH and all(ch in RECOVERY_ALPHABET for ch in code)


def recovery_code_hash(text):
    """What is stored for a code: 96 bits of its SHA-256, in the 16 characters django-otp's
    StaticToken.token holds."""
    digest = hashlib.sha256(normalize_recovery_code(text).encode()).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_hash(code)) for code in codes
    )
    return ["-".join(code[i : i + 4] for i in range(0, len(code), 4)) for code in codes]


# The log-in between its two steps


def begin_login(request, user, next_url):
    """The password was right and two-factor is on: remember who, for the code step only."""
    # A new session key, so a session planted before the password is typed is not the one
    # that goes on to be logged in.
    request.session.cycle_key()
    request.session[PENDING_LOGIN_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "password": user.get_session_auth_hash(),
        "since": time.time(),
        "next": next_url,
    }


def pending_login_user(request):
    """The person whose password this session gave in the last few minutes, or None (and the
    pending log-in forgotten when it lapsed or the password has changed since)."""
    pending = request.session.get(PENDING_LOGIN_KEY)
    if pending is None:
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    fresh = time.time() - pending["since"] < PENDING_LOGIN_SECONDS
    if user is None or not fresh or user.get_session_auth_hash() != pending["password"]:
        del request.session[PENDING_LOGIN_KEY]
        return None
    return user


def finish_login(request, user):
    """The code was right: log the person in. Returns where they were going."""
    pending = request.session.pop(PENDING_LOGIN_KEY)
    login(request, user, backend=pending["backend"])
    return pending["next"]
