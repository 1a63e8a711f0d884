"""What the access log keeps of whoever opened a link: their network and browser family.

A network, not an address: an IPv4 address as its /24, an IPv6 address as its /48 (a site's
allocation), which tells "my therapist's clinic" from "somewhere else" without pinning down a
device. The browser family comes from ua-parser's rules (the User-Agent string itself is not
kept).
"""

import ipaddress

from ua_parser import parse_user_agent

# Longer User-Agent strings are cut before parsing: the parser's work grows with the text.
USER_AGENT_MAX_LENGTH = 512
FAMILY_MAX_LENGTH = 50
UNKNOWN_NETWORK = "unknown"
UNKNOWN_BROWSER = "Unknown browser"


def network_of(address):
    """ "203.0.113.0/24" for 203.0.113.7, "2001:db8:1::/48" for 2001:db8:1:2::3."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return UNKNOWN_NETWORK
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def browser_family(user_agent):
    """ "Firefox", "Chrome Mobile", "Mobile Safari", ...; UNKNOWN_BROWSER when none is named."""
    parsed = parse_user_agent(user_agent[:USER_AGENT_MAX_LENGTH]) if user_agent else None
    family = parsed.family if parsed is not None else ""
    if not family or family == "Other":
        return UNKNOWN_BROWSER
    return family[:FAMILY_MAX_LENGTH]
