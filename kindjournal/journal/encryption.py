"""Free text encrypted at rest: notes and act descriptions, under KINDJOURNAL_FIELD_KEYS.

Each value is a Fernet token (AES-128-CBC with an HMAC-SHA256, a fresh IV each time), made
with the first listed key and read with any of them (`MultiFernet`). The keys are not the
database's: a copied backup or SQLite file shows no note without them.

An empty value is stored empty, not encrypted. It says only "no note", which a token's length
would nearly say anyway (Fernet pads to 16 bytes, it does not hide length), and it keeps the
database's own rule that an act has a description (journal_act_description_not_empty).

Nothing may search, filter or order by these columns in SQL: equal texts never have equal
tokens. The field refuses every lookup but "is empty" and "is null", so a query that tries
fails loudly instead of silently finding nothing.
"""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models.lookups import Exact, IsNull

KEYS_SETTING = "KINDJOURNAL_FIELD_KEYS"


class UndecryptableValue(Exception):
    """A stored value that no key in KINDJOURNAL_FIELD_KEYS opens (a key was dropped too soon,
    the database came from elsewhere, or the value was changed outside the app)."""

    def __init__(self, model_name, pk, column):
        super().__init__(
            f"{model_name} {pk}: the stored {column} cannot be decrypted: no key in "
            f"{KEYS_SETTING} fits it. Add the key it was encrypted with back to the list."
        )


@functools.lru_cache(maxsize=4)
def _fernet_for(keys):
    return MultiFernet([Fernet(key) for key in keys])


def fernet():
    """The MultiFernet of the configured keys (the first encrypts)."""
    return _fernet_for(tuple(getattr(settings, KEYS_SETTING)))


def encrypt(text):
    return fernet().encrypt(text.encode()).decode()


def decrypt(token):
    """The text of `token`; raises InvalidToken when no configured key fits."""
    return fernet().decrypt(token.encode()).decode()


def is_under_first_key(token):
    try:
        Fernet(getattr(settings, KEYS_SETTING)[0]).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token):
    """`token` re-encrypted under the first key (raises InvalidToken when no key fits)."""
    return fernet().rotate(token.encode()).decode()


BROKEN_CHARACTER = (
    "This text has a broken character in it (half of an emoji or symbol): delete it and type "
    "it again."
)


def validate_encodable(text):
    """Refuse a lone UTF-16 surrogate ("\\ud800"): JSON can carry one (a string cut in the
    middle of an emoji by a device), but no UTF-8 text can hold it, so encrypt() could not
    encode it and the database could not store it."""
    try:
        text.encode()
    except UnicodeEncodeError:
        raise ValidationError(BROKEN_CHARACTER, code="broken_character") from None


class EmptyOnlyExact(Exact):
    """`field=""` only: the one comparison that means the same on tokens and on text."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.name} is encrypted: it can only be compared with "
                f'"" in SQL. Compare the decrypted text in Python.'
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token; reads give the text back, or raise UndecryptableValue.

    `max_length` applies to the text (forms and validation), not to the column, which is
    `text` since tokens are longer than what they hold.
    """

    @functools.cached_property
    def validators(self):
        limit = [MaxLengthValidator(self.max_length)] if self.max_length is not None else []
        return [*super().validators, validate_encodable, *limit]

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return decrypt(value)
        except InvalidToken:
            raise UndecryptableValue(
                self.model.__name__, self._pk_holding(value, connection), self.column
            ) from None

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        return {"exact": EmptyOnlyExact, "isnull": IsNull}.get(lookup_name)

    def get_transform(self, lookup_name):
        return None

    def _pk_holding(self, token, connection):
        # Only when a value fails to decrypt, to name the row: tokens are unique (every write
        # encrypts afresh, the importer's bulk INSERTs too), so the raw column finds the row
        # being read. A token copied into other rows outside the app names them all.
        table = connection.ops.quote_name(self.model._meta.db_table)
        column = connection.ops.quote_name(self.column)
        pk = connection.ops.quote_name(self.model._meta.pk.column)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk} FROM {table} WHERE {column} = %s",  # noqa: S608  # nosec B608
                [token],
            )
            rows = cursor.fetchall()
        return ", ".join(str(row[0]) for row in rows) or "(row unknown)"


def encrypted_columns(models_):
    """[(model, field)] of every encrypted field among `models_`."""
    return [
        (model, field)
        for model in models_
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


def rewrite_column(connection, model, field, change, batch_size):
    """Pass every non-empty stored value of `field` through `change(token_or_text)`, which
    returns the new stored value or None to leave it, in batches by primary key, one
    transaction each. Yields (rows read, rows rewritten) after each batch.

    A row is written only if its value is still the one read (compare-and-set), so a save
    made meanwhile by the running app is never overwritten: that save used the first key.
    Works on raw columns: `model` may be a migration's historical model.
    """
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(field.column)
    pk = quote(model._meta.pk.column)
    select = (
        f"SELECT {pk}, {column} FROM {table} WHERE {pk} > %s AND {column} <> '' "  # noqa: S608  # nosec B608
        f"ORDER BY {pk} LIMIT %s"
    )
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608  # nosec B608
    last, read, rewritten = 0, 0, 0
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(select, [last, batch_size])
            rows = cursor.fetchall()
            for row_pk, stored in rows:
                try:
                    new = change(stored)
                except InvalidToken:
                    raise UndecryptableValue(model.__name__, row_pk, field.column) from None
                if new is not None:
                    cursor.execute(update, [new, row_pk, stored])
                    rewritten += cursor.rowcount
        if not rows:
            return
        last = rows[-1][0]
        read += len(rows)
        yield read, rewritten
