"""The address a request came from, as the log-in lockout and the sign-up limit must see it.

Behind a proxy, REMOTE_ADDR is the proxy's own address, so every client would share one lockout
and one sign-up allowance. Each proxy appends the address it received the request from to
X-Forwarded-For, so with DJANGO_PROXY_COUNT trusted proxies the client is that many entries from
the right; anything further left was written by the client and may be forged.
Named by settings.AXES_CLIENT_IP_CALLABLE (django-axes) and RATELIMIT_IP_META_KEY
(django-ratelimit). `address_from` is pure, so it is tested on plain dictionaries.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    return address_from(request.META, settings.PROXY_COUNT)


def address_from(meta, proxy_count):
    remote = meta.get("REMOTE_ADDR", "")
    if not proxy_count:
        return remote
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxy_count:
        # The request did not pass through every proxy we were told about: trust only the hop
        # that reached us, which at worst makes clients share a limit rather than dodge it.
        return remote
    try:
        return str(ipaddress.ip_address(hops[-proxy_count]))
    except ValueError:
        return remote
