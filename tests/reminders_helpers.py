"""Shared by the reminder tests and the benchmark: people with a reminder due, an SMTP sink."""

import socket

from aiosmtpd.controller import Controller

from kindjournal.reminders.models import Reminder


def due_reminder(user, *, at, now, time_zone="UTC", email=True, **fields):
    """`user`'s reminder at local time `at`, planned as if saved at `now`, confirmed address."""
    profile = user.profile
    if profile.time_zone != time_zone:
        profile.time_zone = time_zone
        profile.save()
    fields = {
        "enabled": True,
        "email_address": f"{user.username}@example.org",
        "email_confirmed": True,
        **fields,
    }
    reminder = Reminder(user=user, time=at, email=email, **fields)
    reminder.plan(time_zone, now)
    reminder.save()
    return reminder


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """aiosmtpd handler keeping every message; refuses the recipients in `refuse`."""

    def __init__(self, refuse=()):
        self.messages = []
        self.refuse = set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def smtp_sink(refuse=()):
    """A started SMTP server on 127.0.0.1 (stop() it); its Sink is `.handler`."""
    controller = Controller(Sink(refuse), hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def smtp_settings(controller):
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": controller.port,
        "EMAIL_USE_TLS": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
    }
