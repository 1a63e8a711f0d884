"""python manage.py rotate_field_keys: re-encrypt every EncryptedTextField of every model (notes,
act descriptions, uploads waiting for their import's confirm) under the first key of
KINDJOURNAL_FIELD_KEYS, so that the keys after it can be dropped.

Runs beside the serving app: batches of rows by id, each its own short transaction, and a row
is only rewritten if it still holds what was read (the app's own saves already use the first
key). Stopped at any point, it starts again where it matters: rows already under the first
key are left as they are.
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kindjournal.journal.encryption import (
    UndecryptableValue,
    encrypted_columns,
    is_under_first_key,
    rewrite_column,
    rotate,
)

# A long transaction would hold SQLite's write lock against the serving app for its length.
MAX_BATCH = 5000


def _rotated(token):
    return None if is_under_first_key(token) else rotate(token)


def _rows_per_batch(field, batch_size):
    # A batch is held in memory and written in one transaction. A field with no length limit
    # may hold a whole file (an upload waiting for its confirm, up to 5 MB): one row at a time.
    return batch_size if field.max_length is not None else 1


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field (notes, acts, uploads waiting for import) under the "
        "first key of KINDJOURNAL_FIELD_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help=(
                f"Rows per transaction, 1 to {MAX_BATCH} (default 500); fields with no length "
                "limit go one row at a time."
            ),
        )

    def handle(self, *args, batch_size, **options):
        if not 1 <= batch_size <= MAX_BATCH:
            raise CommandError(f"--batch-size must be from 1 to {MAX_BATCH}, not {batch_size}.")
        for model, field in encrypted_columns(apps.get_models()):
            name = f"{model._meta.db_table}.{field.column}"
            total = model._base_manager.exclude(**{field.name: ""}).count()
            try:
                read = rewritten = 0
                for read, rewritten in rewrite_column(
                    connection, model, field, _rotated, _rows_per_batch(field, batch_size)
                ):
                    self.stdout.write(
                        f"{name}: {read} of {total} read, {rewritten} re-encrypted so far"
                    )
            except UndecryptableValue as error:
                raise CommandError(
                    f"{error} Rows before it are done; run again once the key is listed."
                ) from None
            self.stdout.write(
                f"{name}: done, {read} read, {rewritten} re-encrypted, all under the first key."
            )
