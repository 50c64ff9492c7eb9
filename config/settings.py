"""Schoolzorg settings: one module, everything that differs per machine comes from the environment.

Every variable is documented in `.env.example`; the README has the table.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Production is the default posture; the tests switch DEBUG on explicitly.
DEBUG = env_bool("SCHOOLZORG_DEBUG", False)
# The demo (`make run`; on with DEBUG too): a built-in key, plain HTTP, mail to the console and
# the printed demo code for seeded accounts, but production's own Dutch error pages. Never in
# production.
DEMO_MODE = env_bool("SCHOOLZORG_DEMO", DEBUG)
DATA_DIR = Path(env("SCHOOLZORG_DATA_DIR", str(BASE_DIR / "var")))
_INSECURE_DEV_KEY = "django-insecure-schoolzorg-dev-only-never-in-production-0123456789abcdef"
SECRET_KEY = env("SCHOOLZORG_SECRET_KEY", _INSECURE_DEV_KEY if DEMO_MODE else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SCHOOLZORG_SECRET_KEY ontbreekt. Zet die in productie (zie .env.example), "
        "of gebruik de demo met SCHOOLZORG_DEMO=1 (make run zet dat zelf)."
    )
ALLOWED_HOSTS = env_list("SCHOOLZORG_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("SCHOOLZORG_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.Admin",  # django.contrib.admin, in the product's words (accounts/adminsite.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_otp",
    "config.apps.AuthenticatorApps",  # django_otp.plugins.otp_totp, named in Dutch
    "config.apps.RecoveryCodes",  # django_otp.plugins.otp_static
    "django_otp_webauthn",
    "config.apps.Lockout",  # axes
    "auditlog",
    "rest_framework",
    "drf_spectacular",
    "config.apps.Tasks",  # django_tasks_db
    # Our domain apps, bottom layer first (docs/architecture.md, "Layers"; ADR 0002).
    "schoolzorg.lib",
    "schoolzorg.audit",
    "schoolzorg.organisations",
    "schoolzorg.accounts",
    "schoolzorg.calendars",
    "schoolzorg.pupils",
    "schoolzorg.consent",
    "schoolzorg.careteams",
    "schoolzorg.cases",
    "schoolzorg.meetings",
    "schoolzorg.plans",
    "schoolzorg.assessments",
    "schoolzorg.referrals",
    "schoolzorg.reports",
    "schoolzorg.retention",
    "schoolzorg.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "schoolzorg.lib.api.NoStoreMiddleware",  # outermost but one: sees every API answer
    "schoolzorg.lib.requestcache.RequestCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "schoolzorg.accounts.middleware.OTPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "schoolzorg.accounts.middleware.SessionLimitsMiddleware",
    "schoolzorg.accounts.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "schoolzorg.audit.middleware.RequestIdMiddleware",
    "axes.middleware.AxesMiddleware",
    "schoolzorg.lib.errors.MethodNotAllowedPage",
    "schoolzorg.lib.errors.ErrorInTitle",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Plain widgets are written in Python, the same HTML as Django's templates (lib/forms_renderer.py).
FORM_RENDERER = "schoolzorg.lib.forms_renderer.FastRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "schoolzorg" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "schoolzorg.accounts.context_processors.navigation",
                "schoolzorg.accounts.context_processors.session_timer",
            ],
            "builtins": ["schoolzorg.lib.templatetags.fields", "schoolzorg.lib.templatetags.pages"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite in WAL mode under the data folder is the embedded default; DATABASE_URL selects PostgreSQL.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=int(env("SCHOOLZORG_CONN_MAX_AGE", "600")),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compiles the plan of every costly-looking query: 0.7 s per list page at national
        # volume for queries that run in milliseconds (docs/benchmarks.md). Off for OLTP.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
        # Parameters bound by the server, so psycopg can prepare a statement the second time the
        # same SQL runs and PostgreSQL plans it once per connection: planning the pupil page's
        # eight-table join took 9-23 ms, executing it 0.3 ms (docs/benchmarks.md, ADR 0503).
        # Off (SCHOOLZORG_PG_PREPARED=0) behind a pooler that cannot keep prepared statements.
        if env("SCHOOLZORG_PG_PREPARED", "1") == "1":
            DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=1)
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "schoolzorg.sqlite3"),
            # Tests use a file too: browser tests send concurrent requests (autosave while a form
            # is sent), and an in-memory database shares one connection between the threads.
            "TEST": {"NAME": str(DATA_DIR / "test-schoolzorg.sqlite3")},
            # Kept open between requests, as PostgreSQL's: a new connection per request ran the
            # pragmas below every time, and when the last one closed SQLite checkpointed and
            # removed the WAL file, so the next request built it again (stalls of 0.3-1.3 s).
            "CONN_MAX_AGE": int(env("SCHOOLZORG_CONN_MAX_AGE", "600")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Reads declared with lib.prepared compile their SQL once per process. With this on, every call
# is also compiled the ordinary way and compared (slower): on whenever DEBUG is, so in all tests.
SCHOOLZORG_VERIFY_PREPARED = env_bool("SCHOOLZORG_VERIFY_PREPARED", DEBUG)

# --- Accounts and login ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "schoolzorg.accounts.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "schoolzorg.accounts.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
OTP_TOTP_ISSUER = "Schoolzorg"
# Passkeys (WebAuthn) as a second factor, never instead of the password.
OTP_WEBAUTHN_RP_ID = env("SCHOOLZORG_WEBAUTHN_RP_ID", "localhost")
OTP_WEBAUTHN_RP_NAME = "Schoolzorg"
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("SCHOOLZORG_WEBAUTHN_ORIGINS", "http://localhost:8000")
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Lockout after 5 failures; the message never reveals whether the account exists.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
# Per account and address: a colleague's address typed wrongly elsewhere does not lock them out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "schoolzorg.lib.clients.client_address"
# How many proxies in front add themselves to X-Forwarded-For (0: the client connects directly).
PROXY_COUNT = int(env("SCHOOLZORG_PROXY_COUNT", "0") or 0)
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "schoolzorg.accounts.backends.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
# Lock per account, not per address: a whole school often shares one public IP address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Sessions: idle timeout 30 minutes, absolute limit 12 hours. The idle timeout slides: the
# session is written again when it was last written more than SESSION_TOUCH_SECONDS ago (see
# accounts.middleware.SessionLimitsMiddleware), not on every read.
SESSION_ENGINE = "schoolzorg.accounts.sessions"
SESSION_COOKIE_AGE = 30 * 60
SESSION_TOUCH_SECONDS = 60
# A page warns this long before the idle timeout, with a button to stay signed in (WCAG 2.2.1).
SESSION_WARNING_SECONDS = 2 * 60
# Menu items and their counts are kept this long per user (lib.navigation).
NAVIGATION_CACHE_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Seconds after a fresh password+second-factor check during which exports and break-the-glass
# are allowed without asking again.
REAUTH_SECONDS = int(env("SCHOOLZORG_REAUTH_SECONDS", "300"))
# Demo accounts pass the second factor with this fixed code; never set in production.
DEMO_OTP_CODE = env("SCHOOLZORG_DEMO_OTP_CODE", "")

# --- Security headers -----------------------------------------------------------------------
SECURE_HTTPS = env_bool("SCHOOLZORG_HTTPS", not DEMO_MODE)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env_bool("SCHOOLZORG_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_HSTS_PRELOAD = SECURE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "schoolzorg.lib.errors.csrf_failure"  # a Dutch page, not Django's English one
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Internationalisation -------------------------------------------------------------------
# The interface is written in Dutch; dates follow it whatever the browser asks for.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "schoolzorg" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "schoolzorg" / "static", BASE_DIR / "build" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "uploads")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Files a browser asks for at the site's root on its own (/favicon.ico), served by whitenoise.
WHITENOISE_ROOT = BASE_DIR / "schoolzorg" / "public"
# Uploads live outside the web root and are served only through an access-checked view; no URL
# route serves MEDIA_URL (Django's test live server would, hence a name nobody links to).
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/_geen-openbare-bestanden/"
UPLOAD_MAX_BYTES = int(env("SCHOOLZORG_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Child-safety material is encrypted with keys kept outside the database. The first key encrypts,
# all keys decrypt (rotation: prepend a new key, run `schoolzorg rotate-keys`, then drop the old).
FIELD_ENCRYPTION_KEYS = env_list("SCHOOLZORG_FIELD_KEYS")


def _check_field_keys(keys: list[str]) -> None:
    """Refuse to start with a key that is not one, or without keys outside the demo: a typing
    mistake would otherwise surface as a server error on every page with child-safety material."""
    from cryptography.fernet import Fernet

    for n, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError as exc:  # binascii.Error is one too
            raise ImproperlyConfigured(
                f"SCHOOLZORG_FIELD_KEYS: sleutel {n} van {len(keys)} is geen geldige sleutel "
                "(32 bytes in url-safe base64). Maak er een met `python -c 'from "
                "cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
            ) from exc
    if not keys and not DEMO_MODE:
        raise ImproperlyConfigured(
            "SCHOOLZORG_FIELD_KEYS ontbreekt. Zonder eigen sleutel zouden veiligheidsgegevens "
            "worden versleuteld met een sleutel afgeleid van SCHOOLZORG_SECRET_KEY. Zet er een "
            "(zie .env.example), of gebruik de demo met SCHOOLZORG_DEMO=1."
        )


_check_field_keys(FIELD_ENCRYPTION_KEYS)

# --- E-mail ---------------------------------------------------------------------------------
# Django 6.1 mailers. The demo prints mail to the console; production sends through SMTP.
# E-mail is sent by the background worker (accounts.notifications.send_notification_email), with
# this many seconds to connect and for each answer of the relay: a hung relay makes an attempt
# fail (and be tried again later) instead of holding the worker.
_MAIL_TIMEOUT = int(env("SCHOOLZORG_EMAIL_TIMEOUT", "10"))
_MAIL_BACKEND = env(
    "SCHOOLZORG_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
# A relay that wants a login and encryption (a municipality's, Microsoft 365): a user and
# password, and "starttls" (usually port 587) or "ssl" (port 465).
_MAIL_SECURITY = env("SCHOOLZORG_EMAIL_SECURITY").strip().lower()
if _MAIL_SECURITY not in ("", "starttls", "ssl"):
    raise ImproperlyConfigured(
        f"SCHOOLZORG_EMAIL_SECURITY is {_MAIL_SECURITY!r}: kies starttls, ssl of laat het leeg."
    )
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env("SCHOOLZORG_EMAIL_HOST", "localhost"),
                "port": int(env("SCHOOLZORG_EMAIL_PORT", "25")),
                "timeout": _MAIL_TIMEOUT,
                "username": env("SCHOOLZORG_EMAIL_USER") or None,
                "password": env("SCHOOLZORG_EMAIL_PASSWORD") or None,
                "use_tls": _MAIL_SECURITY == "starttls",
                "use_ssl": _MAIL_SECURITY == "ssl",
            }
            if _MAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env("SCHOOLZORG_FROM_EMAIL", "Schoolzorg <noreply@schoolzorg.example>")
# The address people open Schoolzorg at: e-mails link to pages with it (a mail has no request
# to take the host from).
BASE_URL = env("SCHOOLZORG_BASE_URL", "http://localhost:8000").rstrip("/")

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("SCHOOLZORG_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # JSON only: no browsable HTML API (English, and not the house style); errors problem+json.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Read only: no body is ever parsed (a deep one broke the JSON parser; lib/api_parsers.py).
    "DEFAULT_PARSER_CLASSES": ["schoolzorg.lib.api_parsers.IgnoredBody"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "schoolzorg.lib.api_negotiation.Negotiation",
    "DEFAULT_METADATA_CLASS": "schoolzorg.lib.api_metadata.Metadata",
    "DEFAULT_AUTHENTICATION_CLASSES": ["schoolzorg.lib.api_auth.SessionWith401"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "schoolzorg.lib.api.problem_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Schoolzorg API",
    "VERSION": "1.0.0",
    "DESCRIPTION": (
        "De API van Schoolzorg, volgens de NL API Design Rules. U logt in via de website "
        "(wachtwoord en tweede stap); de API gebruikt dezelfde sessie. De API antwoordt alleen "
        "in JSON. Elke fout is `application/problem+json` met een titel in het Nederlands. Elke "
        "leerling die u via de API ziet, komt in het leeslogboek, net als op de website."
    ),
}

# --- Change history -------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("SCHOOLZORG_LOG_LEVEL", "WARNING")},
}
