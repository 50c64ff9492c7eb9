"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def field_keys_configured(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Child-safety material must be encrypted with keys from outside the database."""
    if settings.FIELD_ENCRYPTION_KEYS:
        return []
    return [
        checks.Error(
            "SCHOOLZORG_FIELD_KEYS is leeg: veiligheidsgegevens zouden worden versleuteld met een "
            "sleutel afgeleid van SECRET_KEY.",
            hint="Maak een sleutel met `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` en zet die in SCHOOLZORG_FIELD_KEYS.",
            id="schoolzorg.E001",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def not_the_demo(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The demo's built-in key, plain HTTP and printed code are never for production."""
    if not settings.DEMO_MODE:
        return []
    return [
        checks.Error(
            "SCHOOLZORG_DEMO staat aan: een ingebouwde sleutel, gewone HTTP en de vaste "
            "democode voor demo-accounts.",
            hint="Zet SCHOOLZORG_DEMO=0 (en SCHOOLZORG_DEBUG=0) in productie.",
            id="schoolzorg.E002",
        )
    ]
