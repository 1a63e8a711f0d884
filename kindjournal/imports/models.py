import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kindjournal.imports.formats import FORMATS, NAMES
from kindjournal.journal.encryption import EncryptedTextField
from kindjournal.journal.querysets import OwnedQuerySet

# How long an uploaded file waits for its preview to be confirmed. It may hold notes, among the
# most private things people write, so it is not kept a moment longer than the preview needs:
# every /import/ page and the purge_imports command (daily, from cron) delete older uploads.
PENDING_LIFETIME = datetime.timedelta(hours=1)


class PendingImportQuerySet(OwnedQuerySet):
    def expired(self):
        """Uploads past PENDING_LIFETIME, confirmed or not."""
        return self.filter(created_at__lt=timezone.now() - PENDING_LIFETIME)


class PendingImport(models.Model):
    """An uploaded file between its upload and the person's confirm (or cancel).

    The file's text stays here, on the server, so the confirm step imports exactly what was
    previewed and never trusts data sent back by the browser. Reached only through `token`
    and the owner's `for_user`: anyone else gets 404.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=20, choices=[(name, NAMES[name]) for name in FORMATS])
    # The whole file, notes included: encrypted like the notes it holds (journal/encryption.py).
    content = EncryptedTextField(blank=True)
    # The person's choices on the preview page (Daylio): {mood key: 1-10}, {activity key: category}.
    mood_map = models.JSONField(default=dict)
    kind_activities = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set by the confirm step: a second confirm (double submit, another tab) finds it and stops.
    imported_at = models.DateTimeField(null=True, blank=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        indexes = [
            # The purge on every /import/ page: DELETE ... WHERE created_at < now - lifetime.
            models.Index(fields=["created_at"], name="imports_pending_created_idx"),
        ]

    def __str__(self):
        return f"{self.filename} ({self.format}) for {self.user}"

    def get_absolute_url(self):
        return reverse("imports:preview", args=[self.token])

    def mark_imported(self):
        """Forget the file, its name and the mapping; keep only what makes a second confirm of
        this upload (a double submit, another tab) a no-op until it expires."""
        self.content, self.filename, self.mood_map, self.kind_activities = "", "", {}, {}
        self.imported_at = timezone.now()
        self.save(
            update_fields=["content", "filename", "mood_map", "kind_activities", "imported_at"]
        )
