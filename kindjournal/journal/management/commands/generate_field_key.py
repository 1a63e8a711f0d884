"""python manage.py generate_field_key: print a new key for KINDJOURNAL_FIELD_KEYS."""

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Print a new Fernet key for KINDJOURNAL_FIELD_KEYS (put it first in the list, then run "
        "rotate_field_keys). Nothing is stored: back the key up apart from the database."
    )

    def handle(self, *args, **options):
        self.stdout.write(Fernet.generate_key().decode())
