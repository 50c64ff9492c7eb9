"""Second-factor devices: set up TOTP, issue recovery codes, check a code."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts.models import User

DEMO_DEVICE_NAME = "demo"
RECOVERY_CODE_COUNT = 10


def is_verified(user: Any) -> bool:
    """Whether the signed-in user passed the second factor in this session (set by django-otp)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and check is not None and check())


def has_confirmed_device(user: User) -> bool:
    """Whether the user has an authenticator app or a passkey to pass the second step with."""
    from django_otp_webauthn.models import WebAuthnCredential

    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_passkey(user: User) -> bool:
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed device shown during set-up; created once and reused on reload."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=False)


@transaction.atomic
def confirm_totp_device(user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm set-up with a first code and return fresh recovery codes, or None if it was wrong."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return issue_recovery_codes(user)


@transaction.atomic
def issue_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user, name="Herstelcodes").delete()
    device = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


# In the change history instead of the devices' secrets: that the second step was reset.
SECOND_FACTOR_RESET = ["(verborgen)", "tweede stap gewist: bij de volgende stap opnieuw instellen"]


def is_own_password(request: Any, user: User, password: str) -> bool:
    """Whether `password` is the signed-in user's own, asked again on "Mijn account" and before
    a sensitive step. Checked through `authenticate`, so django-axes counts a wrong one as a
    failed sign-in: an open session on someone else's device gives no unlimited guesses. After
    `AXES_FAILURE_LIMIT` wrong ones the account is locked as after failed sign-ins, and
    `request.axes_locked_out` is set (the view then ends this session too)."""
    from django.contrib.auth import authenticate

    found = authenticate(request, username=user.email, password=password)
    return found is not None and found.pk == user.pk


def locked_out(request: Any) -> bool:
    """Whether django-axes locked the account during this request (`is_own_password`)."""
    return bool(getattr(request, "axes_locked_out", False))


@transaction.atomic
def change_password(user: User, password: str) -> None:
    """Give the account a new password its owner chose. Every other session of the account
    ends on its next request (the password is part of what a session is signed with); the view
    keeps the owner's own. The change history records that it changed, not the hash
    (`audit.history.log_password_change`). A password an administrator set is no longer
    asked to be changed (`User.password_from_admin`)."""
    user.set_password(password)
    user.password_from_admin = False
    user.save(update_fields=["password", "password_from_admin"])


def end_sessions(user: User) -> None:
    """Sign the account out everywhere: each of its sessions ends on its next request.

    Sessions are not stored by user, so the stamp they are signed with changes instead
    (`User._get_session_auth_hash`). An UPDATE, not a save: nothing else of the account is
    written, and the change history is not told of a stamp."""
    User.objects.filter(pk=user.pk).update(session_stamp=F("session_stamp") + 1)
    user.refresh_from_db(fields=["session_stamp"])


@transaction.atomic
def reset_second_factor(user: User) -> None:
    """Remove the user's authenticator apps, passkeys and recovery codes, for someone who lost
    them, and end every session of the account: a session still open on a lost or stolen
    device would otherwise set up a new app without the password. The next sign-in (password
    first) sets up a new one. Recorded in the change history the privacy officers review."""
    from auditlog.models import LogEntry
    from django_otp_webauthn.models import WebAuthnCredential

    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    end_sessions(user)
    LogEntry.objects.log_create(
        user, action=LogEntry.Action.UPDATE, changes={"second_factor": SECOND_FACTOR_RESET}
    )


# django-otp refuses every code, the right one too, for a while after wrong ones (the wait doubles
# with each: 1, 2, 4, 8 … seconds); the user must hear that waiting helps, not that the code is wrong.
THROTTLED = (
    "U hebt te vaak een verkeerde code ingevuld. Wacht een halve minuut en probeer het dan opnieuw."
)


# From this many wrong codes in a row the wait is worth telling (4 seconds, then 8, 16 …); after
# one or two it lasts a second or two, shorter than typing the next code.
TOO_MANY_WRONG = 3


def is_throttled(user: User, device: Any = None) -> bool:
    """Whether codes are refused for now after too many wrong ones: this (set-up) device's, or
    a confirmed device's (the app's; recovery codes are throttled apart). Ask before trying a
    code, as each wrong one throttles again."""
    devices = [device] if device is not None else list(devices_for_user(user, confirmed=True))
    for d in devices:
        allowed, info = d.verify_is_allowed()
        if not allowed and (info or {}).get("failure_count", 0) >= TOO_MANY_WRONG:
            return True
    return False


def verify_second_factor(user: User, token: str) -> Any | None:
    """The device that accepts the code, or None. Demo accounts accept the demo code in the demo
    (`settings.DEMO_MODE`). Compared as UTF-8 bytes: `compare_digest` refuses a str with other
    than ASCII characters (digits typed in another script, "１２３４５６" or "١٢٣٤٥٦"), which is
    simply a wrong code."""
    if (
        settings.DEMO_MODE
        and settings.DEMO_OTP_CODE
        and secrets.compare_digest(token.encode(), settings.DEMO_OTP_CODE.encode())
    ):
        demo = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME, confirmed=True).first()
        if demo is not None:
            return demo
    return match_token(user, token)
