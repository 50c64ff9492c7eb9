"""Encryption at rest for child-safety material, with keys kept outside the database.

Keys come from `SCHOOLZORG_FIELD_KEYS` (comma separated Fernet keys, newest first). The first key
encrypts; every key decrypts, so rotation is: put a new key in front, re-encrypt
(`schoolzorg rotate-keys`), then remove the old key. In development without keys, a key derived
from SECRET_KEY is used so the demo works; production refuses to start without keys, or with a
malformed one (`config/settings.py` `_check_field_keys`).
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        derived = base64.urlsafe_b64encode(
            hashlib.sha256(("fields:" + settings.SECRET_KEY).encode()).digest()
        )
        keys = (derived.decode(),)
    return MultiFernet([Fernet(k.encode()) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError(
            "Versleutelde gegevens konden niet worden gelezen (onbekende sleutel)."
        ) from exc


def rotate_text(token: str) -> str:
    """Re-encrypt with the newest key."""
    return fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text field stored encrypted; the database never sees the plain text.

    Not searchable or sortable by content, on purpose.
    """

    def get_prep_value(self, value: object) -> object:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(str(value))

    def from_db_value(
        self, value: str | None, expression: object, connection: object
    ) -> str | None:
        if value in (None, ""):
            return value
        return decrypt_text(value)
