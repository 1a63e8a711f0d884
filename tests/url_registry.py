"""Who may use each URL in the URLconf: the registry that tests/test_url_walk.py walks.

ADDING A URL? Add one line to REGISTRY below, named as you would `reverse()` it, saying who may
use it. The test `test_every_url_in_the_urlconf_is_registered` fails until you do.

    "journal:history": login_required(),       # only the logged-in person's own data, no id
    "journal:delete_act": owned(an_act),       # names an object: an_act(owner) -> URL kwargs
    "journal:day": per_person(a_day),          # no object, shown for whoever asks (a date)
    "sharing:shared": capability(a_shared_link),  # a secret token is the only key, no log-in
    "signup": public(),                        # open to anyone, logged in or not

Every URL parameter, whatever its converter (<int:pk>, <uuid:token>, <str:key>, <slug:name>),
is taken to name a stored object, and its URL must be `owned(make)`, where `make(owner)`
creates the owner's object and returns the URL's kwargs (add such a maker beside `an_act`);
unless the parameter is in NOT_OBJECT_IDS, with the reason it names nothing of anyone's.
The security and browser tests read `page_urls` from here too.
"""

from kindjournal.imports.formats import KINDJOURNAL
from kindjournal.imports.models import PendingImport
from kindjournal.journal.csv_format import header
from kindjournal.journal.models import DayEntry, KindnessAct
from kindjournal.reminders.models import PushSubscription
from kindjournal.sharing.models import ShareLink
from tests.urlwalk import (
    SAMPLE_DAY,
    all_patterns,
    capability,
    login_required,
    owned,
    per_person,
    public,
    staff_only,
)

# Plain letters, so it reads the same HTML-escaped: a leak cannot hide behind &#x27;.
SECRET = "owner private words 7f3a"


def an_act(owner):
    return {"pk": KindnessAct.objects.create(user=owner, date=SAMPLE_DAY, description=SECRET).pk}


def a_day(owner):
    """The owner's mood, note and act on SAMPLE_DAY; the URL names only the date."""
    DayEntry.objects.update_or_create(
        user=owner, date=SAMPLE_DAY, defaults={"mood": 8, "note": SECRET, "recorded_on": SAMPLE_DAY}
    )
    # Descriptions are encrypted, so the day's acts are compared in Python, not in SQL.
    acts = KindnessAct.objects.for_user(owner).filter(date=SAMPLE_DAY)
    if SECRET not in (act.description for act in acts):
        KindnessAct.objects.create(user=owner, date=SAMPLE_DAY, description=SECRET)
    return {"day": SAMPLE_DAY}


def a_pending_import(owner):
    """An uploaded KindJournal CSV waiting for its owner to confirm the import."""
    text = ",".join(header(notes=True)) + f"\n2024-03-01,Friday,6,0,,2024-03-01,{SECRET}\n"
    pending = PendingImport.objects.create(
        user=owner, filename="journal.csv", format=KINDJOURNAL, content=text
    )
    return {"token": pending.token}


def a_share_link(owner):
    link, _ = ShareLink.objects.create_link(
        owner, label=SECRET, period="30", start=None, end=None, notes=True, expires_days=7
    )
    return {"pk": link.pk}


def a_shared_link(owner):
    """The token of the owner's link to SAMPLE_DAY, notes included: it opens their SECRET."""
    a_day(owner)
    _, token = ShareLink.objects.create_link(
        owner,
        label="Dr Lee",
        period="fixed",
        start=SAMPLE_DAY,
        end=SAMPLE_DAY,
        notes=True,
        expires_days=7,
    )
    return {"token": token}


def a_device(owner):
    device = PushSubscription.objects.create(
        user=owner,
        endpoint="https://fcm.googleapis.com/fcm/send/x",
        p256dh="k",
        auth="a",
        label=SECRET,
    )
    return {"pk": device.pk}


REGISTRY = {
    # The journal
    "journal:today": public(),  # the landing page until one logs in
    "journal:day": per_person(a_day),
    "journal:add_act": per_person(a_day),
    "journal:delete_act": owned(an_act),
    "journal:history": login_required(),
    "insights:insights": login_required(),
    "moodcalendar:calendar": login_required(),
    "exports:export": login_required(),
    "exports:csv": login_required(),
    "exports:report": login_required(),
    "imports:upload": login_required(),
    "imports:preview": owned(a_pending_import),
    "imports:cancel": owned(a_pending_import),
    # The installable app: manifest, icons, service worker, offline shell
    "offline:manifest": public(),
    "offline:favicon": public(),
    "offline:service_worker": public(),
    "offline:shell": public(),  # the same page for everyone: no one's data
    "offline:send": login_required(),
    "offline:session": login_required(),
    "sharing:share": login_required(),
    "sharing:revoke": owned(a_share_link),
    "sharing:shared": capability(a_shared_link),
    "sharing:shared_csv": capability(a_shared_link),
    "sharing:robots": public(),
    # Reminders: the settings page, and the signed links in reminder e-mails (no log-in)
    "reminders:settings": login_required(),
    "reminders:send_confirmation_again": login_required(),
    "reminders:confirm": public(),
    "reminders:unsubscribe": public(),
    "reminders:add_device": login_required(),
    "reminders:remove_device": owned(a_device),
    # Accounts: sign-up and settings, then Django's own auth views
    "signup": public(),
    "account_settings": login_required(),
    "account_export": login_required(),
    "account_delete": login_required(),
    "login": public(),
    # The log-in's second step: for this session's own pending log-in only, else sent to log in
    # (tests/test_two_factor.py).
    "login_code": public(),
    "login_recovery": public(),
    "two_factor": login_required(),
    "two_factor_confirm": login_required(),
    "two_factor_off": login_required(),
    "logout": public(),
    "password_change": login_required(),
    "password_change_done": login_required(),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(),
    "password_reset_complete": public(),
    # Django's admin, every model's pages included, is for staff, except its log-in page.
    "admin:*": staff_only(),
    "admin:login": public(),
    "admin_login": public(),  # in place of admin:login, at the same path
}

# URL parameters that name no stored object, and why. Keep it short: a parameter missing here
# is treated as an object id.
NOT_OBJECT_IDS = {
    # A date: each person sees and changes only their own day there (per_person).
    "journal:day": {"day"},
    "journal:add_act": {"day"},
    # Signed (kindjournal/reminders/tokens.py): a token acts only on the person it was signed
    # for, and only a valid signature is looked at.
    "reminders:confirm": {"token"},
    "reminders:unsubscribe": {"token"},
    # Django's reset link: the user id is only acted on with a valid token signed for it.
    "password_reset_confirm": {"uidb64", "token"},
}


def coverage(pattern, registry=REGISTRY):
    return registry.get(pattern.key) or registry.get(f"{pattern.namespace}:*")


def object_parameters(pattern):
    """The pattern's parameters that may name a stored object."""
    return set(pattern.parameters) - NOT_OBJECT_IDS.get(pattern.key, set())


def covered_by(kinds, patterns, registry=REGISTRY):
    """The registered patterns of these kinds (an unregistered one fails its own test)."""
    return [
        pattern
        for pattern in patterns
        if getattr(coverage(pattern, registry), "kind", None) in kinds
    ]


def url_for(pattern, owner):
    entry = coverage(pattern)
    return pattern.url(**(entry.make(owner) if entry.make else entry.kwargs))


def page_urls(owner, *, logged_in):
    """A URL for every page open to an anonymous or a logged-in person (the owner's objects);
    for the security and browser tests, which keep those that answer a GET with HTML."""
    kinds = {"public", "login_required", "owned", "per_person"} if logged_in else {"public"}
    return [url_for(pattern, owner) for pattern in covered_by(kinds, all_patterns())]
