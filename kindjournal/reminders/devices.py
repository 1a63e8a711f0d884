"""A readable name for a subscribed browser ("Firefox on Android"), from its User-Agent.

Only the name is kept, never the User-Agent string itself.
"""

from ua_parser import parse

from kindjournal.reminders.models import LABEL_MAX_LENGTH

# Longer User-Agent strings are cut before parsing: the parser's work grows with the text.
USER_AGENT_MAX_LENGTH = 512
UNKNOWN_DEVICE = "A browser"


def device_label(user_agent):
    parsed = parse(user_agent[:USER_AGENT_MAX_LENGTH]) if user_agent else None
    browser = _family(parsed and parsed.user_agent)
    system = _family(parsed and parsed.os)
    if browser and system:
        label = f"{browser} on {system}"
    else:
        label = browser or (f"A browser on {system}" if system else UNKNOWN_DEVICE)
    return label[:LABEL_MAX_LENGTH]


def _family(part):
    family = part.family if part is not None else ""
    return "" if family in ("", "Other") else family
