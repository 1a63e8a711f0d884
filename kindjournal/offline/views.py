import json
import mimetypes
from pathlib import Path

from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_POST, require_safe

from kindjournal import cdn
from kindjournal.journal.forms import ActForm, MoodForm
from kindjournal.journal.models import REUSED
from kindjournal.offline import appearance
from kindjournal.offline.forms import QueuedEntryForm
from kindjournal.offline.replay import INVALID, replay
from kindjournal.offline.worker import worker_script


@require_safe
def manifest(request):
    data = {
        "name": appearance.NAME,
        "short_name": appearance.SHORT_NAME,
        "description": appearance.DESCRIPTION,
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": appearance.THEME_COLORS["light"],
        "background_color": appearance.THEME_COLORS["light"],
        "icons": [
            {
                "src": static(path),
                "sizes": sizes,
                "type": mimetypes.guess_type(path)[0],
                "purpose": purpose,
            }
            for path, sizes, purpose in appearance.ICONS
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    # The icon URLs carry the static files' hashes, which change with a deploy.
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def favicon(request):
    # Browsers and tools ask for /favicon.ico whatever the page links; answered from the source
    # of the static files (there with or without collectstatic), so there is one copy of it.
    icon = Path(finders.find(appearance.FAVICON)).read_bytes()
    response = HttpResponse(icon, content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _shell_html(request):
    """The offline Today page. The worker keeps it in Cache Storage, so it is the same for
    everyone: rendered as for nobody (no user, no messages, no CSRF token, no journal data)."""
    context = {
        "shell": True,
        "user": AnonymousUser(),
        "messages": [],
        "offline_account": None,
        "day": None,
        "mood_form": MoodForm(),
        "act_form": ActForm(),
    }
    return render_to_string("offline/shell.html", context, request=request)


@require_safe
def shell(request):
    response = HttpResponse(_shell_html(request))
    response["Cache-Control"] = "no-cache"
    return response


# The worker's own fetches (the offline page, static and jsDelivr files, sends) are governed by
# the Content-Security-Policy of its script, not the pages': it may connect to the site and to
# the exact CDN files, and load (importScripts) only the site's scripts.
@csp_replace({"default-src": [NONE], "connect-src": [SELF, *cdn.urls_of(".js", ".css")]})
@require_safe
def service_worker(request):
    response = HttpResponse(
        worker_script(_shell_html(request)), content_type="text/javascript; charset=utf-8"
    )
    # Browsers check for a new worker on every visit; a deploy reaches them at once.
    response["Cache-Control"] = "no-cache"
    return response


# A queued entry is a mood with its note (at most NOTE_MAX_LENGTH characters) or an act, as
# JSON: 64 kB holds the longest note even with every character escaped.
MAX_SEND_BYTES = 64 * 1024


# Logged out, the send is redirected to log in like every other page; the device sees the
# redirect (fetch's redirect: "manual") and keeps its entries for later.
@login_required
@require_POST
def send(request):
    """Save one entry the device kept offline (static/js/queue.js); answers JSON."""
    if _content_length(request) > MAX_SEND_BYTES:
        return _refused("It is too large to send.", 413)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: arrays or objects nested deeper than Python's parser recurses (a few
        # thousand "[" fit well within MAX_SEND_BYTES).
        data = None
    if not isinstance(data, dict):
        return _refused("It could not be read.")
    entry = QueuedEntryForm(data)
    if not entry.is_valid():
        return _refused(entry.problem())
    if entry.cleaned_data["account"] != request.user.pk:
        # Kept on the device for the account it was made under; never saved as someone else's.
        return _answer("other_account", "That entry belongs to another account.", 409)
    # The device shows the message, once, in one tab (static/js/offline.js): not a message for
    # the session's next page, which every open tab could show. A duplicate says it is saved
    # too: the first answer may never have reached the person.
    outcome = replay(request.user, request.profile, entry.cleaned_data, data)
    status = HTTP_STATUS.get(outcome.status, 200)
    return _answer(outcome.status, outcome.message, status, outcome.problem)


HTTP_STATUS = {INVALID: 400, REUSED: 409}


# Asked by static/js/offline.js after a mood or act form's post was redirected, which fetch
# cannot see the target of: logged in, the post was saved; logged out, it went to log in and
# its entry stays on the device. Nothing is rendered, so the messages wait for the day page.
@login_required
@require_safe
def session(request):
    return HttpResponse(status=204)


def _refused(problem, http_status=400):
    return _answer(
        INVALID, f"Not saved: an entry kept on this device. {problem}", http_status, problem
    )


def _answer(status, message, http_status, problem=None):
    # `problem`, with an entry refused as invalid: the reason alone, which the device shows
    # beside what the person typed (static/js/offline.js), since it keeps that entry's text.
    answer = {"status": status, "message": message}
    if problem:
        answer["problem"] = problem
    return JsonResponse(answer, status=http_status)


def _content_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_SEND_BYTES + 1
