from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError
from django.utils import timezone
from django.utils.cache import cc_delim_re

from kindjournal.accounts.models import Profile


class TimezoneMiddleware:
    """Shows times in, and computes "today" for, the logged-in person's own time zone.

    Sets `request.profile`, which the journal views use for "today".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            try:
                request.profile = Profile.for_user(request.user)
            except IntegrityError:
                # An account without a profile yet (made with createsuperuser or in the admin),
                # deleted after this request's log-in found it: the profile made for it refers
                # to no account. Answered like a save meeting a deleted account (below).
                if (response := _deleted_account_response(request)) is None:
                    raise
                return response
            timezone.activate(request.profile.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def private_responses_not_stored(get_response):
    """`Cache-Control: no-store` on every response to a logged-in person, so no browser disk
    cache or shared proxy keeps their notes, e-mail address or downloads after they log out.

    One place for every view, present and future. Only a response its view declares `public`
    (the favicon: the same bytes for everyone) keeps its own header.
    """

    def middleware(request):
        # Before and after the view: logging out (or in) changes request.user on the way.
        logged_in = request.user.is_authenticated
        response = get_response(request)
        logged_in = logged_in or request.user.is_authenticated
        directives = cc_delim_re.split(response.get("Cache-Control", "").lower())
        if logged_in and "public" not in directives:
            response["Cache-Control"] = "no-store"
        return response

    return middleware


class DeletedAccountMiddleware:
    """A request that arrived logged in, for an account deleted while it was under way (another
    tab deleting the account while this one saves a mood), is answered as a logged-out request:
    sent to log in. Its write failed on the deleted account's foreign key and was rolled back,
    so nothing of it is stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, IntegrityError) and request.user.is_authenticated):
            return None
        return _deleted_account_response(request)


def _deleted_account_response(request):
    """For a request logged in as an account that no longer exists: log it out and send it to
    log in. None while the account exists: the IntegrityError is a real fault, a 500."""
    if get_user_model().objects.filter(pk=request.user.pk).exists():
        return None
    logout(request)
    return redirect_to_login(request.get_full_path())
