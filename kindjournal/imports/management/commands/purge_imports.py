"""python manage.py purge_imports: delete uploads for /import/ that are past their lifetime.

Every /import/ page does this too; run it daily from cron so that an upload nobody comes back
to (and its notes) is gone even when no one imports anything for a while.
"""

from django.core.management.base import BaseCommand

from kindjournal.imports import services


class Command(BaseCommand):
    help = "Delete uploaded import files past their lifetime (an hour), confirmed or not."

    def handle(self, *args, **options):
        deleted = services.purge_expired()
        self.stdout.write(f"Deleted {deleted} expired upload{'' if deleted == 1 else 's'}.")
