import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from kindjournal.absolute_urls import absolute_url, base_url_configured
from kindjournal.accounts.models import Profile, RateLimitCount
from kindjournal.client_ip import address_from, client_ip
from kindjournal.exports.rendering import csv_response, report_context
from kindjournal.qr import qr_data_uri
from kindjournal.sharing.clients import browser_family, network_of
from kindjournal.sharing.forms import ShareLinkForm
from kindjournal.sharing.middleware import SHARED_PREFIX
from kindjournal.sharing.models import KEPT_AFTER_END, AccessKind, ShareAccess, ShareLink

# Shown on a shared report in place of the person's username, which is never shown there.
ANONYMOUS_NAME = "a KindJournal user"


# Never cached: the page that follows a new link holds its token, shown this once.
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def share(request):
    ShareLink.objects.purgeable().delete()
    if not base_url_configured():
        return render(request, "sharing/unavailable.html", status=503)
    today = request.profile.today()
    created = None
    if request.method == "POST":
        form = ShareLinkForm(request.POST, user=request.user, today=today)
        saved = form.save() if form.is_valid() else None
        if saved is not None:
            link, token = saved
            if token is None:
                messages.info(
                    request,
                    f"The link for {link.label} was created a moment ago, from this same form, "
                    "and its address was shown then. If you did not copy it, revoke it below "
                    "and create a new one.",
                )
            else:
                url = absolute_url(reverse("sharing:shared", args=[token]), request)
                created = {"link": link, "url": url, "qr": qr_data_uri(url)}
            form = ShareLinkForm(user=request.user, today=today)
    else:
        form = ShareLinkForm(user=request.user, today=today)
    links = ShareLink.objects.for_user(request.user).prefetch_related(
        Prefetch("accesses", queryset=ShareAccess.objects.order_by("-opened_at", "-pk"))
    )
    context = {
        "form": form,
        "created": created,
        "links": links,
        "now": timezone.now(),
        "kept_days": KEPT_AFTER_END.days,
    }
    return render(request, "sharing/share.html", context)


@login_required
@require_POST
def revoke(request, pk):
    links = ShareLink.objects.for_user(request.user)
    link = get_object_or_404(links, pk=pk)
    if links.revoke(link.pk):
        messages.success(request, f"The link for {link.label} is revoked: it no longer opens.")
    else:
        messages.info(request, f"The link for {link.label} was already revoked.")
    return redirect("sharing:share")


# GET and HEAD. A HEAD (a link checker's, a mail scanner's) is answered as the GET would be,
# status and headers, and is rate-limited like it, but it is not an opening: nothing of the
# journal reaches whoever sent it, so it is neither counted nor logged.
@require_safe
def shared(request, token):
    return _open(request, token, AccessKind.PAGE)


@require_safe
def shared_csv(request, token):
    return _open(request, token, AccessKind.CSV)


def _open(request, token, kind):
    """A shared link, for whoever holds it: rate-limited per client address, the same 404 for
    unknown, expired and revoked tokens, and each opening logged before anything is sent."""
    limit, period = settings.SHARE_RATE
    retry_after = RateLimitCount.objects.hit_sliding("share", client_ip(request), limit, period)
    if retry_after is not None:
        context = {"minutes": math.ceil(retry_after / 60)}
        response = render(request, "sharing/limited.html", context, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    if request.method == "HEAD":
        link = ShareLink.objects.live_with_token(token).select_related("user").first()
    else:
        link = ShareLink.objects.open(
            token,
            kind,
            network=network_of(address_from(request.META, settings.PROXY_COUNT)),
            browser=browser_family(request.headers.get("User-Agent", "")),
        )
    if link is None:
        return render(request, "sharing/not_found.html", status=404)
    profile = Profile.read_for(link.user)
    start, end = link.dates(profile.today())
    if kind == AccessKind.CSV:
        return csv_response(link.user, start, end, link.include_notes)
    # Dates and times as the person who shared them lives them.
    with timezone.override(profile.zone):
        context = report_context(
            link.user,
            start,
            end,
            link.include_notes,
            name=profile.display_name or ANONYMOUS_NAME,
            today=profile.today(),
        )
        context.update(link=link, csv_url=reverse("sharing:shared_csv", args=[token]))
        return render(request, "sharing/shared.html", context)


def page_not_found(request, exception):
    """The site's 404 (handler404 in kindjournal/urls.py). Under /s/, for an address that is
    no shared link at all, the same neutral page as for a wrong token: no way into the app."""
    if request.path_info.startswith(SHARED_PREFIX):
        return render(request, "sharing/not_found.html", status=404)
    return defaults.page_not_found(request, exception)


@require_safe
def robots_txt(request):
    # Shared links are meant for one reader; a crawler that found one must not index it.
    return HttpResponse("User-agent: *\nDisallow: /s/\n", content_type="text/plain")
