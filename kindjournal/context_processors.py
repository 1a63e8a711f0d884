from django.urls import reverse

from kindjournal import cdn
from kindjournal.offline import appearance


def cdn_assets(request):
    """`cdn.bootstrap_css.url`, `cdn.chartjs.integrity`, ... for the templates' CDN tags."""
    return {"cdn": cdn.ASSETS}


def app_shell(request):
    """The installed app's colours, and what static/js/offline.js needs (`offline_config`):
    where the worker and the send endpoint are, and who is logged in, so that entries kept on
    the device stay with the account they were made under. The offline page overrides
    `offline_account` with None: it is the same for everyone."""
    user = getattr(request, "user", None)
    account = None
    if user is not None and user.is_authenticated:
        account = {
            "id": user.pk,
            "name": user.get_username(),
            "timeZone": getattr(getattr(request, "profile", None), "time_zone", "UTC"),
        }
    return {
        "theme_colors": appearance.THEME_COLORS,
        "offline_account": account,
        "offline_urls": {
            "worker": reverse("offline:service_worker"),
            "send": reverse("offline:send"),
            "session": reverse("offline:session"),
            "login": reverse("login"),
            "today": reverse("journal:today"),
        },
    }
