"""The e-mails reminders send: the address confirmation and the daily reminder itself.

Nothing private goes into a reminder (it may show on a lock screen or in a shared inbox): no
mood, note or act, only the day it is about and a link to it.
"""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from kindjournal.absolute_urls import absolute_url
from kindjournal.reminders import tokens

CONFIRM_SUBJECT = "KindJournal: confirm your address for reminders"


def confirmation_message(reminder, request):
    """The confirmation e-mail for the reminder's (new) address; None when no absolute link
    can be made (no KINDJOURNAL_BASE_URL)."""
    path = reverse("reminders:confirm", args=[tokens.confirm_token(reminder)])
    url = absolute_url(path, request)
    if url is None:
        return None
    hours = int(tokens.CONFIRM_MAX_AGE.total_seconds() // 3600)
    body = render_to_string("reminders/confirm_email.txt", {"url": url, "hours": hours})
    return EmailMessage(
        CONFIRM_SUBJECT, body, settings.DEFAULT_FROM_EMAIL, [reminder.email_address]
    )


def reminder_message(reminder, day):
    """The reminder for the person's local `day`, with its one-click unsubscribe headers; None
    when no absolute link can be made (no KINDJOURNAL_BASE_URL)."""
    day_url = absolute_url(reverse("journal:day", args=[day]))
    unsubscribe_url = absolute_url(
        reverse("reminders:unsubscribe", args=[tokens.unsubscribe_token(reminder.user_id)])
    )
    if day_url is None:
        return None
    context = {"day": day, "day_url": day_url, "unsubscribe_url": unsubscribe_url}
    message = EmailMultiAlternatives(
        f"KindJournal: a moment for {day:%A %-d %B}",
        render_to_string("reminders/reminder_email.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [reminder.email_address],
        headers={
            # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this URL.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(
        render_to_string("reminders/reminder_email.html", context), "text/html"
    )
    return message
