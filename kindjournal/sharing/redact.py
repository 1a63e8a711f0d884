"""Shared links' tokens kept out of every log: Django's (a logging filter, settings.LOGGING)
and gunicorn's access and error logs (kindjournal/sharing/gunicorn_log.py, named in
gunicorn.conf.py).

A token in a log is a working key to someone's journal for anyone who reads the log, and a
revoked or expired token still tells which links existed. Anything after `/s/` up to the next
slash is replaced, wherever it appears in a line.
"""

import logging
import re

SHARE_PATH = re.compile(r"/s/[^/\s?#\"']+")
REDACTED = "/s/[token]"


def redact(text):
    return SHARE_PATH.sub(REDACTED, text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactShareTokens(logging.Filter):
    """Rewrites a record's message and arguments (Django's "Not Found: %s" gets the path as an
    argument, runserver's request line too), and its traceback (an exception's message may
    hold the path), before any handler formats it."""

    def filter(self, record):
        record.msg = _redacted(record.msg)
        if record.exc_info and not record.exc_text:
            # Formatters print exc_text when it is set, instead of formatting exc_info again.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            # In place: gunicorn's access log passes a dict subclass (SafeAtoms) that answers
            # "-" for a header the request did not send, and a plain copy would raise instead.
            for key, arg in record.args.items():
                record.args[key] = _redacted(arg)
        return True
