"""python manage.py import_journal --user NAME --format kindjournal|daylio FILE [options]

The /import/ page's import for big files and scripts: no size limit, the mapping given as
options instead of a form. All or nothing, like the page.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kindjournal.imports import formats, services
from kindjournal.imports.common import UnreadableFile, line_count, whole_number
from kindjournal.imports.planning import describe
from kindjournal.journal.models import MOOD_MAX, MOOD_MIN, ActCategory

# Below this many lines the file reads in a blink and a progress bar would only be noise.
PROGRESS_FROM_LINES = 1000


class Command(BaseCommand):
    help = "Import a Daylio or KindJournal CSV file into one person's journal."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the CSV file")
        parser.add_argument("--user", required=True, help="the username to import into")
        parser.add_argument("--format", required=True, choices=formats.FORMATS)
        parser.add_argument(
            "--mood-map",
            default="",
            help='Daylio mood values, e.g. "rad=10,good=8,meh=5,bad=3,awful=1"; extends and '
            "overrides those English defaults",
        )
        parser.add_argument(
            "--kind-activities",
            default="",
            help="Daylio activities that were acts of kindness, with their category, e.g. "
            f'"volunteering=volunteering,called mom=checkin" ({", ".join(ActCategory.values)})',
        )
        parser.add_argument(
            "--overwrite", action="store_true", help="replace days already in the journal"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; save nothing"
        )

    def handle(self, *args, **options):
        user = self._user(options["user"])
        if options["format"] == formats.KINDJOURNAL and (
            options["mood_map"] or options["kind_activities"]
        ):
            raise CommandError(
                "--mood-map and --kind-activities are for Daylio files: a KindJournal CSV "
                "already has its moods as numbers and its acts with their category."
            )
        mood_map = _pairs(options["mood_map"], "--mood-map", _mood_value)
        kind_activities = _pairs(options["kind_activities"], "--kind-activities", _category)
        try:
            source = formats.sniff(options["file"].read_bytes(), options["format"])
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from None
        except UnreadableFile as error:
            raise CommandError(f"{options['file']}: {error}") from None

        self.stdout.write(f"Reading {options['file']} ({source.layout}) for {user}…")
        bar = Progress(self.stdout) if line_count(source.text) > PROGRESS_FROM_LINES else None
        parsed = services.parse(user, source, mood_map, kind_activities, bar)
        if bar:
            bar.finish()
        if parsed.problems:
            shown, more = services.first_problems(parsed.problems)
            for problem in shown:
                self.stderr.write(str(problem))
            if more:
                self.stderr.write(f"…and {more} more.")
            raise CommandError(
                f"Nothing was imported: the file has {len(parsed.problems)} "
                f"problem{'s' if len(parsed.problems) != 1 else ''}."
            )
        if options["dry_run"]:
            preview = services.preview(user, parsed.days)
            plan = preview.plan_overwriting if options["overwrite"] else preview.plan
            self.stdout.write(describe(plan, dry_run=True) + " Dry run: nothing was saved.")
            return
        try:
            plan = services.import_days(user, parsed.days, options["overwrite"])
        except services.ImportConflict:
            raise CommandError(
                "The journal changed while importing, so nothing was imported. Run it again."
            ) from None
        self.stdout.write(self.style.SUCCESS(describe(plan)))

    def _user(self, username):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user called {username!r}.") from None


class Progress:
    """How much of the file is read: on a terminal a one-line bar redrawn with a carriage
    return; elsewhere (a log, a pipe) a plain line every 10%. Django's output, no dependency."""

    WIDTH = 30
    STEP = 10  # percent between lines when not on a terminal

    def __init__(self, out):
        self.out, self.live = out, out.isatty()
        self.shown = -1 if self.live else 0

    def __call__(self, done, total):
        percent = min(100, done * 100 // max(total, 1))
        if not self.live:
            percent -= percent % self.STEP
        if percent == self.shown:
            return
        self.shown = percent
        if self.live:
            filled = self.WIDTH * percent // 100
            self.out.write(
                f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent:3d}% of lines read",
                ending="",
            )
            self.out.flush()
        else:
            self.out.write(f"{percent:3d}% of lines read")

    def finish(self):
        self(1, 1)
        if self.live:
            self.out.write("")


def _pairs(text, option, convert):
    """{name: value} from "name=value,name=value"; names keep their inner spaces."""
    pairs = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, value = item.rpartition("=")
        if not equals or not name.strip():
            raise CommandError(f'{option}: "{item}" is not like name=value.')
        pairs[name.strip()] = convert(value.strip(), option, name.strip())
    return pairs


def _mood_value(value, option, name):
    number = whole_number(value)
    if number is None or not MOOD_MIN <= number <= MOOD_MAX:
        raise CommandError(
            f'{option}: the value for "{name}" must be a whole number from {MOOD_MIN} to '
            f"{MOOD_MAX}, not {value!r}."
        )
    return number


def _category(value, option, name):
    if value not in ActCategory.values:
        raise CommandError(
            f'{option}: "{value}" (for "{name}") is not a category; use one of '
            f"{', '.join(ActCategory.values)}."
        )
    return value
