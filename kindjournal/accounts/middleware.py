from django.utils import timezone

from kindjournal.accounts.models import Profile


class TimezoneMiddleware:
    """Shows times in, and computes "today" for, the logged-in person's own time zone.

    Sets `request.profile`, which the journal views use for "today".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            request.profile = Profile.for_user(request.user)
            timezone.activate(request.profile.zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
