"""The second factor's device on every request, session limits and the mandatory second factor."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts.services import is_verified
from schoolzorg.lib.errors import API_AUTH_CHALLENGE, API_PREFIX, problem
from schoolzorg.lib.prepared import prepared


@prepared
def _totp_device(pk: int) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.filter(pk=pk).order_by("pk")[:1]


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware, with the TOTP device read of every request prepared.

    Passkeys and any other device kind go through django-otp as usual.
    """

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label == TOTPDevice.model_label() and device_id.isascii() and device_id.isdigit():
            return _totp_device.first(pk=int(device_id))
        device: Device | None = super()._device_from_persistent_id(persistent_id)
        return device


SESSION_STARTED_KEY = "sz_auth_started_at"
SESSION_TOUCHED_KEY = "sz_touched_at"

# Paths a signed-in user may reach before passing the second factor.
_OPEN_PREFIXES = (
    "/inloggen",
    "/uitloggen",
    "/passkey/",
    "/static/",
    "/gezond",
    "/bronnen",
    "/privacy",
)


SESSION_EXPIRED = "Uw sessie is verlopen. Log opnieuw in."
# Paths that are no page to come back to after signing in again.
_NO_RETURN_PREFIXES = ("/inloggen", "/uitloggen")


def _return_path(request: HttpRequest) -> str:
    """The local path to come back to after signing in again, or "" for none.

    A page opened with GET comes back with its query; a form sent with POST comes back to its
    address without the query (a form's own page, or else the Dutch 405 page with a way on).
    An htmx request asks for a part of a page, not a page, and gets none.
    """
    if request.headers.get("HX-Request") == "true" or request.path.startswith(_NO_RETURN_PREFIXES):
        return ""
    path = request.get_full_path() if request.method in ("GET", "HEAD") else request.path
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else ""


def session_expired(request: HttpRequest) -> HttpResponse:
    """The answer to a request whose session just ended: the API a 401, a page the login page.

    The login page says that the session ended and, where there is one, returns to the page.
    """
    if request.path.startswith(API_PREFIX):
        return problem(401, SESSION_EXPIRED, headers={"WWW-Authenticate": API_AUTH_CHALLENGE})
    messages.info(request, SESSION_EXPIRED)
    back = _return_path(request)
    if back:
        return redirect_to_login(back)
    return redirect(settings.LOGIN_URL)


# What a part of a page (htmx) gets instead of the login page when it needs a sign-in: a status
# line shows it, or `static/js/app.js` puts it above the page; the page keeps what was typed.
SIGN_IN_AGAIN_PART = (
    "<span>Uw sessie is verlopen. Wat u net typte of koos, is niet opgeslagen: kopieer het en "
    '<a href="{url}">log opnieuw in</a>.</span>'
)


def _part_of_a_page(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A redirect to the login page for an htmx request becomes a short 401: htmx would follow
    it and put the whole login page (with its focus) into a part of the page."""
    if request.headers.get("HX-Request") != "true" or response.status_code != 302:
        return response
    login = resolve_url(settings.LOGIN_URL)
    if not response.get("Location", "").startswith(login):
        return response
    return HttpResponse(
        SIGN_IN_AGAIN_PART.format(url=login), status=401, content_type="text/html; charset=utf-8"
    )


# Set while someone is signed in, deleted when they sign out: a request that carries it without
# a signed-in session comes after a session that ended while idle.
SIGNED_IN_COOKIE = "sz_signed_in"
_SIGNED_IN_SALT = "schoolzorg.accounts.signed-in"


def _was_signed_in(request: HttpRequest) -> bool:
    return bool(request.get_signed_cookie(SIGNED_IN_COOKIE, default="", salt=_SIGNED_IN_SALT))


def _mark_signed_in(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the signed-in cookie for as long as a session can last; delete it after sign-out."""
    marked = bool(request.COOKIES.get(SIGNED_IN_COOKIE))
    if request.user.is_authenticated:
        if not marked:
            response.set_signed_cookie(
                SIGNED_IN_COOKIE,
                "1",
                salt=_SIGNED_IN_SALT,
                max_age=settings.SESSION_ABSOLUTE_SECONDS + settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
    elif marked:
        response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
    return response


class SessionLimitsMiddleware:
    """End a session 12 hours after sign-in, whatever the activity; slide the idle limit.

    The idle limit is the session's age (`SESSION_COOKIE_AGE`), counted from its last write.
    Writing the session on every request would cost a database write per page; it is written
    when the last write is more than `SESSION_TOUCH_SECONDS` old, so an active user's session
    expires at most that much earlier than exactly 30 minutes after their last click.

    A session that ended while idle is gone (the browser drops its cookie, the database its
    row); the signed-in cookie (`SIGNED_IN_COOKIE`) tells it apart from never having signed in
    or having signed out, so a page says "Uw sessie is verlopen" then too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None or time.time() - float(started) > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return _mark_signed_in(request, _part_of_a_page(request, session_expired(request)))
        elif _was_signed_in(request):
            if request.path.startswith(API_PREFIX):
                # The API's "not signed in" becomes "your session ended", as on the pages.
                response = self.get_response(request)
                if response.status_code == 401:
                    response = session_expired(request)
                return _mark_signed_in(request, response)
            # Shown by the login page that the page sends them to (or by the page itself).
            messages.info(request, SESSION_EXPIRED)
        if not request.session.is_empty():
            now = time.time()
            touched = request.session.get(SESSION_TOUCHED_KEY)
            if touched is None or now - float(touched) > settings.SESSION_TOUCH_SECONDS:
                request.session[SESSION_TOUCHED_KEY] = now  # marks it modified: written at the end
        return _mark_signed_in(request, _part_of_a_page(request, self.get_response(request)))


class RequireSecondFactorMiddleware:
    """Every professional passes a second factor before seeing anything but the login pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not is_verified(user)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith(API_PREFIX):
                return problem(
                    401,
                    "Bevestig eerst uw inlog met de tweede stap.",
                    headers={"WWW-Authenticate": API_AUTH_CHALLENGE},
                )
            return redirect("accounts:verify")
        return self.get_response(request)
