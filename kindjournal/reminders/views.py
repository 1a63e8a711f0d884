from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kindjournal.accounts.models import RateLimitCount
from kindjournal.reminders import mail, push, tokens
from kindjournal.reminders.devices import device_label
from kindjournal.reminders.forms import NO_EMAIL_MESSAGE, DeviceForm, ReminderForm
from kindjournal.reminders.models import MAX_DEVICES, PushSubscription, Reminder, TooManyDevices

# Confirmation e-mails one person may have sent per hour: a form that mails any address it is
# given must not become a way to flood someone's inbox.
CONFIRMATIONS_PER_HOUR = 5


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_settings(request):
    reminder = Reminder.objects.for_user(request.user).first() or Reminder(user=request.user)
    form_kwargs = {
        "reminder": reminder,
        "account_email": request.user.email,
        "email_possible": settings.PASSWORD_RESET_BY_EMAIL,
    }
    if request.method == "POST":
        form = ReminderForm(request.POST, **form_kwargs)
    else:
        form = ReminderForm(**form_kwargs)
    if form.is_valid():
        applied = form.apply()
        reminder.plan(request.profile.time_zone)
        reminder.save_settings(applied.address_changed)
        messages.success(request, "Reminder settings saved.")
        if applied.send_confirmation:
            _send_confirmation(request, reminder)
        return redirect("reminders:settings")
    context = {
        "title": "Reminders",
        "form": form,
        "reminder": reminder,
        "email_possible": settings.PASSWORD_RESET_BY_EMAIL,
        "time_zone": request.profile.time_zone,
        "devices": PushSubscription.objects.for_user(request.user),
        "push_config": {"key": push.public_key()} if push.push_enabled() else None,
        "max_devices": MAX_DEVICES,
    }
    return render(request, "reminders/settings.html", context)


@login_required
@require_POST
def send_confirmation_again(request):
    """The "Send the confirmation again" button, for a link lost or expired: under the same
    hourly limit as the mails that saving the settings sends."""
    reminder = Reminder.objects.for_user(request.user).first()
    if not settings.PASSWORD_RESET_BY_EMAIL:
        messages.error(request, NO_EMAIL_MESSAGE)
    elif reminder is None or not reminder.awaits_confirmation:
        messages.error(
            request,
            "No address is waiting for confirmation: tick “By e-mail”, enter the address and save.",
        )
    else:
        _send_confirmation(request, reminder)
    return redirect("reminders:settings")


@login_required
@require_POST
def add_device(request):
    """Subscribe this browser (static/js/reminders.js posts its push subscription here)."""
    form = DeviceForm(request.POST)
    if not push.push_enabled():
        messages.error(request, "Notifications are not set up on this server.")
    elif not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        _subscribe(request, form.cleaned_data)
    return redirect("reminders:settings")


def _subscribe(request, data):
    try:
        PushSubscription.objects.subscribe(
            request.user,
            data["endpoint"],
            p256dh=data["p256dh"],
            auth=data["auth"],
            label=device_label(request.headers.get("User-Agent", "")),
        )
    except TooManyDevices:
        messages.error(
            request, f"You have {MAX_DEVICES} devices already: remove one to add this one."
        )
        return
    messages.success(request, "This device will get your reminders as notifications.")


@login_required
@require_POST
def remove_device(request, pk):
    get_object_or_404(PushSubscription.objects.for_user(request.user), pk=pk).delete()
    messages.success(request, "Device removed: it gets no more notifications.")
    return redirect("reminders:settings")


def _send_confirmation(request, reminder):
    refused = RateLimitCount.objects.hit_sliding(
        "reminder-confirm", str(request.user.pk), CONFIRMATIONS_PER_HOUR, 3600
    )
    message = mail.confirmation_message(reminder, request)
    if refused is not None or message is None:
        messages.error(
            request,
            "We could not send the confirmation e-mail now. Please try again in an hour.",
        )
        return
    message.send()
    messages.info(
        request,
        f"We sent a link to {reminder.email_address}: open it within 48 hours to confirm "
        "the address. Until then, no reminder goes there.",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm_address(request, token):
    """The link in the confirmation e-mail: a page with a button, so that a mail scanner that
    opens links confirms nothing; the POST confirms."""
    found = tokens.read_confirm_token(token)
    if found is None:
        return _invalid_link(request)
    reminder = Reminder.objects.awaiting_link(*found)
    if reminder is None or (
        request.method == "POST" and not Reminder.objects.confirm_address(reminder)
    ):
        # Signed by us, so no guess: the person may be told what happened.
        context = {"title": "Link for an earlier address"}
        return render(request, "reminders/link_for_earlier_address.html", context, status=404)
    if request.method == "POST":
        return render(request, "reminders/confirmed.html", {"title": "Address confirmed"})
    context = {"title": "Confirm your address", "address": reminder.email_address}
    return render(request, "reminders/confirm.html", context)


# The one-click POST comes from the mail client (RFC 8058), which has no CSRF token: the signed
# token is the only key, and all it can do is turn e-mail reminders off.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    user_id = tokens.read_unsubscribe_token(token)
    if user_id is None:
        return _invalid_link(request)
    if request.method == "POST":
        Reminder.objects.filter(user_id=user_id).update(email=False)
        return render(request, "reminders/unsubscribed.html", {"title": "E-mail reminders off"})
    return render(request, "reminders/unsubscribe.html", {"title": "Turn off e-mail reminders"})


def _invalid_link(request):
    # The same page for a bad, expired or stale token: it tells a guesser nothing.
    context = {"title": "Link not valid"}
    return render(request, "reminders/link_invalid.html", context, status=404)
