"""python manage.py purge_share_links: delete share links (and their access logs) that ended,
by expiry or revocation, more than 30 days ago.

Every /share/ page does this too; run it daily from cron so that old links and the record of
who opened them go on time even when the person does not come back to /share/.
"""

from django.core.management.base import BaseCommand

from kindjournal.sharing.models import KEPT_AFTER_END, ShareLink


class Command(BaseCommand):
    help = (
        f"Delete share links that ended more than {KEPT_AFTER_END.days} days ago, with their logs."
    )

    def handle(self, *args, **options):
        _, deleted = ShareLink.objects.purgeable().delete()
        links = deleted.get(ShareLink._meta.label, 0)
        self.stdout.write(f"Deleted {links} ended share link{'' if links == 1 else 's'}.")
