"""Deployment checks of our own, run by `manage.py check --deploy`.

The field keys are checked when the settings load (`config/settings.py` `_check_field_keys`):
without them, or with a malformed one, no process starts outside the demo."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.files.storage import storages
from django.http.request import validate_host


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


def _not_collected() -> checks.CheckMessage:
    return checks.Error(
        f"De statische bestanden zijn niet verzameld: staticfiles.json ontbreekt in "
        f"{settings.STATIC_ROOT} (of is onleesbaar). Elke pagina antwoordt dan met een 500.",
        hint="Bouw de NL Design System-CSS (`npm ci && npm run build`), voer "
        "`manage.py collectstatic --noinput` uit en herstart gunicorn.",
        id="schoolzorg.E003",
    )


@checks.register(checks.Tags.staticfiles, deploy=True)
def static_files_collected(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """Outside DEBUG every page names its CSS, scripts and icon through the manifest that
    `collectstatic` writes; a file missing from it makes every page that uses it a 500."""
    try:
        storage = storages["staticfiles"]
        if not isinstance(storage, ManifestFilesMixin):
            return []
        paths, _hash = storage.load_manifest()  # read afresh: {} when there is none
    except ValueError:  # a manifest that is not JSON, or of a version Django does not know
        return [_not_collected()]
    if not paths:
        return [_not_collected()]
    missing = sorted(
        {
            path.replace("\\", "/")
            for finder in finders.get_finders()
            for path, _storage in finder.list(apps.get_app_config("staticfiles").ignore_patterns)
        }
        - set(paths)
    )
    if not missing:
        return []
    return [
        checks.Error(
            f"{len(missing)} statische bestanden staan niet in staticfiles.json, bijvoorbeeld "
            f"{', '.join(missing[:3])}. Een pagina die er een gebruikt, antwoordt met een 500.",
            hint="Voer `manage.py collectstatic --noinput` opnieuw uit (na elke update) en "
            "herstart gunicorn: elk proces leest het manifest één keer.",
            id="schoolzorg.E004",
        )
    ]


_LOCAL = ("localhost", "127.0.0.1", "[::1]", "::1")


@checks.register(checks.Tags.security, deploy=True)
def public_address(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """The site's public address, which e-mail links start with and passkeys are bound to: an
    https address of one of the allowed hosts, and the passkeys' domain and origin its own."""
    base = urlsplit(settings.BASE_URL)
    host = (base.hostname or "").lower()
    problems: list[checks.CheckMessage] = []
    if base.scheme != "https" or not host or host in _LOCAL:
        problems.append(
            checks.Error(
                f"SCHOOLZORG_BASE_URL is {settings.BASE_URL!r}: links in e-mails moeten naar "
                "het openbare https-adres van Schoolzorg wijzen.",
                hint="Zet SCHOOLZORG_BASE_URL, bijvoorbeeld https://schoolzorg.gemeente.nl.",
                id="schoolzorg.E005",
            )
        )
    elif not validate_host(host, settings.ALLOWED_HOSTS):
        problems.append(
            checks.Error(
                f"De host van SCHOOLZORG_BASE_URL ({host}) staat niet in "
                "SCHOOLZORG_ALLOWED_HOSTS: links in e-mails zouden een foutpagina openen.",
                id="schoolzorg.E006",
            )
        )
    rp_id = settings.OTP_WEBAUTHN_RP_ID.lower()
    origin = f"{base.scheme}://{base.netloc}"
    if host and (
        not (host == rp_id or host.endswith("." + rp_id))
        or origin not in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
    ):
        problems.append(
            checks.Error(
                f"Passkeys horen bij {rp_id!r} met adressen "
                f"{', '.join(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)}, niet bij {origin}: "
                "niemand zou een passkey kunnen gebruiken.",
                hint=f"Zet SCHOOLZORG_WEBAUTHN_RP_ID={host} en "
                f"SCHOOLZORG_WEBAUTHN_ORIGINS={origin}.",
                id="schoolzorg.E007",
            )
        )
    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    if not sender or sender.rpartition("@")[2].endswith((".example", ".invalid", ".test")):
        problems.append(
            checks.Error(
                f"SCHOOLZORG_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: een voorbeeldadres. "
                "Mail van dat adres wordt geweigerd of komt als spam aan.",
                hint="Zet SCHOOLZORG_FROM_EMAIL, bijvoorbeeld "
                "'Schoolzorg <noreply@schoolzorg.gemeente.nl>'.",
                id="schoolzorg.E008",
            )
        )
    return problems


def owns_read_log() -> bool:
    """Whether the connected PostgreSQL role owns the read log (or is a superuser): it could then
    switch off its append-only trigger. False on SQLite and when the database cannot be asked."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_has_role(current_user, c.relowner, 'USAGE') OR r.rolsuper "
                "FROM pg_class c, pg_roles r "
                "WHERE c.oid = to_regclass('audit_accesslogentry') AND r.rolname = current_user"
            )
            row = cursor.fetchone()
    except DatabaseError:
        return False
    return bool(row and row[0])


@checks.register(checks.Tags.security, deploy=True)
def web_role_does_not_own_read_log(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """ADR 0502: the web server connects as a role that cannot disable the read log's trigger."""
    if not owns_read_log():
        return []
    return [
        checks.Warning(
            "De database-rol van DATABASE_URL is eigenaar van het logboek "
            "(audit_accesslogentry) of superuser: zo kan hij de beveiliging van het logboek "
            "uitzetten.",
            hint="Laat gunicorn verbinden als een rol die geen eigenaar is "
            "(scripts/web-role.sql, README 'Database roles'); voer deze controle uit met de "
            "DATABASE_URL van gunicorn.",
            id="schoolzorg.W001",
        )
    ]
