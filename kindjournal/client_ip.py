"""The address a request came from, as the log-in lockout and the sign-up limit must see it.

Behind a proxy, REMOTE_ADDR is the proxy's own address, so every client would share one lockout
and one sign-up allowance. Each proxy appends the address it received the request from to
X-Forwarded-For, so with DJANGO_PROXY_COUNT trusted proxies the client is that many entries from
the right; anything further left was written by the client and may be forged.
An IPv6 client is counted by its /64 network: one home or phone is usually given a whole /64
and may pick a fresh address in it for every request.
Named by settings.AXES_CLIENT_IP_CALLABLE (django-axes); the sign-up limit
(kindjournal/accounts/views.py) calls it too. `address_from` and `per_network` are pure, so they
are tested on plain values.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    return per_network(address_from(request.META, settings.PROXY_COUNT))


def per_network(address):
    """An IPv6 address as the first address of its /64; IPv4 (mapped into IPv6 too) as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


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
