"""VAPID keys for Web Push (RFC 8292): a P-256 pair; the private key travels as the base64url
of its 32 raw bytes (one line, fit for an environment variable).

No Django here: the settings module reads and checks the key with it before Django is set up.
"""

from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02
from py_vapid.utils import b64urlencode


def generate_private_key():
    key = Vapid02()
    key.generate_keys()
    return b64urlencode(key.private_key.private_numbers().private_value.to_bytes(32, "big"))


def load(private_key):
    """The key as py_vapid's Vapid02; ValueError when it is not a base64url P-256 key."""
    try:
        return Vapid02.from_string(private_key)
    except Exception as error:  # binascii, cryptography and py_vapid each raise their own
        raise ValueError(str(error)) from error


def public_key(private_key):
    """The browser's `applicationServerKey`: the public point, uncompressed, base64url."""
    point = load(private_key).public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return b64urlencode(point)
