from django.core.management.base import BaseCommand

from kindjournal.reminders import vapid


class Command(BaseCommand):
    help = "Print a new VAPID key pair for Web Push (set the private key in the environment)."

    def handle(self, *args, **options):
        private = vapid.generate_private_key()
        self.stdout.write(f"KINDJOURNAL_VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"public key={vapid.public_key(private)}")
        self.stdout.write(
            "Keep the private key secret. Changing it later stops every device's notifications "
            "until it subscribes again."
        )
