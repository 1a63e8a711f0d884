import datetime
import math
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kindjournal.accounts.models import Profile
from kindjournal.journal.models import FIRST_DATE, ActCategory, DayEntry, KindnessAct

DEMO_USERNAME = "demo"
# Published in the README: the demo account holds made-up data only.
DEMO_PASSWORD = "kindjournal-demo"  # noqa: S105  # nosec B105

EXAMPLE_ACTS = {
    ActCategory.CHECKIN: ["Texted Sam to check in", "Called Mum", "Messaged an old friend"],
    ActCategory.GIFT: ["Dropped off flowers for Priya", "Sent a card to my aunt"],
    ActCategory.MEAL: ["Cooked dinner for Jo", "Brought soup to my neighbour"],
    ActCategory.VOLUNTEERING: ["Food bank shift", "Park clean-up"],
    ActCategory.LISTENING: ["Listened to Alex without judging", "Long walk and talk with Kim"],
    ActCategory.PRACTICAL: ["Helped a neighbour carry shopping", "Fixed Dad's laptop"],
    ActCategory.OTHER: ["Left a kind review for a local café", "Paid for a stranger's coffee"],
}


def demo_days(today, days, rng):
    """Plausible (date, mood or None, [(category, description)]) for `days` days to `today`.

    Kind days are about a point better on average and lift the next day a little, with enough
    noise that the statistics have something honest to say.
    """
    previous_kind = False
    for offset in range(days - 1, -1, -1):
        date = today - datetime.timedelta(days=offset)
        acts = []
        if rng.random() < 0.5:
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                category = rng.choice(list(EXAMPLE_ACTS))
                acts.append((category, rng.choice(EXAMPLE_ACTS[category])))
        season = 0.8 * math.sin(2 * math.pi * offset / 365)
        mood = 5.4 + season + (0.9 if acts else 0) + (0.3 if previous_kind else 0)
        mood = round(min(10, max(1, rng.gauss(mood, 1.4))))
        rated = rng.random() > 0.08  # some days are missed
        yield date, mood if rated else None, acts
        previous_kind = bool(acts) and rated


class Command(BaseCommand):
    help = f"Create (or reset) the demo account '{DEMO_USERNAME}' with a year of plausible data."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="days of data, to today")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")
        parser.add_argument(
            "--force", action="store_true", help="also reset the demo account when DEBUG is off"
        )

    @transaction.atomic
    def handle(self, *args, days, seed, force, **options):
        # The command replaces the account's data and password: never by accident on a server.
        if not (settings.DEBUG or force):
            raise CommandError("seed_demo resets the 'demo' account; with DEBUG off, add --force.")
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username=DEMO_USERNAME)
        user.set_password(DEMO_PASSWORD)
        user.save()
        profile = Profile.for_user(user)
        max_days = (profile.today() - FIRST_DATE).days + 1
        if not 1 <= days <= max_days:
            raise CommandError(f"--days must be from 1 to {max_days} (days from 1 January 2000).")
        DayEntry.objects.for_user(user).delete()
        KindnessAct.objects.for_user(user).delete()

        entries, acts = [], []
        # Reproducible demo data, not security.
        rng = random.Random(seed)  # nosec B311
        for date, mood, day_acts in demo_days(profile.today(), days, rng):
            if mood is not None:
                entries.append(DayEntry(user=user, date=date, mood=mood, recorded_on=date))
            acts += [
                KindnessAct(user=user, date=date, category=category, description=description)
                for category, description in day_acts
            ]
        DayEntry.objects.bulk_create(entries)
        KindnessAct.objects.bulk_create(acts)
        self.stdout.write(
            f"Demo account ready: log in as '{DEMO_USERNAME}' with password '{DEMO_PASSWORD}' "
            f"({len(entries)} rated days, {len(acts)} acts)."
        )
