"""Signed links sent by e-mail: confirming an address (48 hours) and one-click unsubscribe.

Signed with the site's secret key (django.core.signing): nothing is stored, and a token names
the one person (and address) it was made for.
"""

import datetime
import hashlib

from django.core import signing

# A confirmation is bound to its address by SHA-256 (address_digest), so it confirms that
# address only: a link mailed to an earlier address cannot confirm the one saved now. (The
# digest does not hide the address from someone able to guess it; the link's page shows it
# anyway.) The salt names the format, so links of the earlier one are simply not valid.
CONFIRM_SALT = "kindjournal.reminders.confirm-address-sha256"
UNSUBSCRIBE_SALT = "kindjournal.reminders.unsubscribe"
CONFIRM_MAX_AGE = datetime.timedelta(hours=48)
# Longer than any token we sign: anything longer is refused before its signature is checked.
TOKEN_MAX_LENGTH = 400


def address_digest(address):
    # The address exactly as saved: Reminder.set_address keeps it as typed.
    return hashlib.sha256(address.encode()).hexdigest()


def confirm_token(reminder):
    return signing.dumps(
        [reminder.user_id, address_digest(reminder.email_address)], salt=CONFIRM_SALT
    )


def read_confirm_token(token):
    """(user id, address digest) from a valid, unexpired confirmation token; None otherwise."""
    value = _read(token, CONFIRM_SALT, CONFIRM_MAX_AGE)
    if not (isinstance(value, list) and len(value) == 2):
        return None
    return value[0], value[1]


def unsubscribe_token(user_id):
    # No expiry: an unsubscribe link in an old reminder must still work.
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """The user id of a valid unsubscribe token; None otherwise."""
    return _read(token, UNSUBSCRIBE_SALT, None)


def _read(token, salt, max_age):
    if len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None
