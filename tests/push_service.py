"""A fake Web Push service on 127.0.0.1 for tests and the benchmark, and a fake browser's keys.

It keeps each request (path, headers, body) and answers with `statuses[path]` (201 unless a
test says otherwise), or a 307 to `redirects[path]`, so a test can decrypt what a browser would
get and check its VAPID signature, as a real push service does.
"""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid02


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakeBrowser:
    """A browser's side of a push subscription: its P-256 key pair and auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        self.p256dh = b64url(point)
        self.auth_b64 = b64url(self.auth)

    def decrypt(self, body):
        return http_ece.decrypt(
            body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )


class PushService:
    def __init__(self):
        self.received = []
        self.statuses = {}
        self.redirects = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {name.lower(): value for name, value in self.headers.items()}
                service.received.append((self.path, headers, body))
                if self.path in service.redirects:
                    self.send_response(307)
                    self.send_header("Location", service.redirects[self.path])
                else:
                    self.send_response(service.statuses.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def endpoint(self, name):
        return f"{self.origin}/push/{name}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def vapid_claims(headers, public_key):
    """The claims of the request's VAPID token (`vapid t=<JWT>,k=<key>`, RFC 8292) when it is
    signed by `public_key`; None when it is not."""
    authorization = headers["authorization"]
    key = authorization.rpartition(",k=")[2]
    if key != public_key or not Vapid02.verify(authorization):
        return None
    token = authorization.split("t=", 1)[1].split(",", 1)[0]
    claims = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
