"""The second factor's device on every request, session limits and the mandatory second factor."""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import Resolver404, resolve
from django.utils.functional import LazyObject
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
    # The API's description is open to anyone (it holds no data): the same answer whether
    # someone is signed out or between password and second step.
    "/api/v1/schema/",
)


SESSION_EXPIRED = "Uw sessie is verlopen. Log opnieuw in."
# After a form was sent: say plainly that what was filled in did not reach us.
SESSION_EXPIRED_UNSAVED = (
    "Uw sessie was verlopen toen u het formulier verstuurde. Wat u net typte of koos, is daarom "
    "niet opgeslagen. Log opnieuw in; u komt dan terug op de pagina waar u was. Vul het daar "
    "nog een keer in."
)
# Paths that are no page to come back to after signing in again.
_NO_RETURN_PREFIXES = ("/inloggen", "/uitloggen")
_READS = ("GET", "HEAD")


def _answers_get(view: Callable[..., object]) -> bool:
    """Whether a view shows a page when opened: not one made for forms only (`require_POST`).

    Django's `require_http_methods` keeps its list of methods in the closure of the function it
    returns; a class-based view says it by having a `get` method.
    """
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "get")
    func: object = view
    while callable(func):
        try:
            methods = inspect.getclosurevars(func).nonlocals.get("request_method_list")
        except TypeError:  # not a Python function (a callable object)
            methods = None
        if methods is not None and "GET" not in methods:
            return False
        func = getattr(func, "__wrapped__", None)
    return True


def page_at(path: str) -> str:
    """The page a path belongs to: the path itself when it shows a page, else the nearest one
    above it (`/casussen/6/notitie/` is the form of `/casussen/6/`); "" for none."""
    while path.startswith("/") and not path.startswith(_NO_RETURN_PREFIXES):
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        if match is not None and _answers_get(match.func):
            return path
        if path == "/":
            break
        path = path.rstrip("/").rpartition("/")[0] + "/"
    return ""


def _local(path: str) -> str:
    return path if url_has_allowed_host_and_scheme(path, allowed_hosts=None) else ""


def _return_path(request: HttpRequest) -> str:
    """The local path to come back to after signing in again, or "" for none (Mijn werk).

    A page opened with GET comes back with its query. A form sent with POST comes back to the
    page it was on: the page that sent it (its Referer, when that is this site), else the page
    its address belongs to (`page_at`), never to an address that only takes forms (which would
    answer 405). An htmx request asks for a part of a page, not a page, and gets none.
    """
    if request.headers.get("HX-Request") == "true" or request.path.startswith(_NO_RETURN_PREFIXES):
        return ""
    if request.method in _READS:
        return _local(request.get_full_path())
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        sent_from = urlsplit(referer)
        page = page_at(_local(sent_from.path))
        if page:
            return (
                f"{page}?{sent_from.query}" if page == sent_from.path and sent_from.query else page
            )
    return page_at(_local(request.path))


def _expired_message(request: HttpRequest) -> str:
    """What the login page says: for a form that was sent, that its contents were not saved."""
    if request.method in _READS or request.path.startswith(_NO_RETURN_PREFIXES):
        return SESSION_EXPIRED
    return SESSION_EXPIRED_UNSAVED


def _to_login_and_back(request: HttpRequest) -> HttpResponse:
    back = _return_path(request)
    if back:
        return redirect_to_login(back)
    return redirect(settings.LOGIN_URL)


def session_expired(request: HttpRequest) -> HttpResponse:
    """The answer to a request whose session just ended: the API a 401, a page the login page.

    The login page says that the session ended and, where there is one, returns to the page.
    """
    if request.path.startswith(API_PREFIX):
        return problem(401, SESSION_EXPIRED, headers={"WWW-Authenticate": API_AUTH_CHALLENGE})
    messages.info(request, _expired_message(request))
    return _to_login_and_back(request)


def _form_back_to_its_page(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A form sent without a session (`login_required` sends it to the login page with its own
    address as `next`) comes back to its page after signing in, not to a form-only address."""
    if request.method in _READS or request.headers.get("HX-Request") == "true":
        return response
    if response.status_code != 302:
        return response
    if urlsplit(response.get("Location", "")).path != resolve_url(settings.LOGIN_URL):
        return response
    return _to_login_and_back(request)


def seconds_left(request: HttpRequest) -> tuple[int, int]:
    """Seconds until the session ends if nothing more is done, and until its 12-hour limit."""
    now = time.time()
    touched = float(request.session.get(SESSION_TOUCHED_KEY, now))
    started = float(request.session.get(SESSION_STARTED_KEY, now))
    return (
        max(0, int(settings.SESSION_COOKIE_AGE - (now - touched))),
        max(0, int(settings.SESSION_ABSOLUTE_SECONDS - (now - started))),
    )


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


def _unwrapped(user: Any) -> Any:
    """The signed-in user itself, once read: not behind the two lazy wrappers of Django's and
    django-otp's middleware, which every one of a page's hundreds of `request.user.…` reads
    would otherwise pass through (about 0.3 ms of a pupil page)."""
    while isinstance(user, LazyObject):
        user = user._wrapped
    return user


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
            request.user = _unwrapped(request.user)
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
            messages.info(request, _expired_message(request))
        if not request.session.is_empty():
            now = time.time()
            touched = request.session.get(SESSION_TOUCHED_KEY)
            if touched is None or now - float(touched) > settings.SESSION_TOUCH_SECONDS:
                request.session[SESSION_TOUCHED_KEY] = now  # marks it modified: written at the end
        response = _form_back_to_its_page(request, self.get_response(request))
        return _mark_signed_in(request, _part_of_a_page(request, response))


# Where someone goes whose password an administrator set (`User.password_from_admin`).
ACCOUNT_PATH = "/account/"
CHOOSE_OWN_FIRST = (
    "Kies eerst een eigen wachtwoord. Een beheerder heeft uw wachtwoord ingesteld en kent het "
    "dus. Daarna kunt u verder."
)


class RequireSecondFactorMiddleware:
    """Every professional passes a second factor before seeing anything but the login pages,
    and then chooses their own password if an administrator set it (on "Mijn account")."""

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
        if (
            getattr(user, "password_from_admin", False)
            and request.path != ACCOUNT_PATH
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith(API_PREFIX):
                return problem(403, CHOOSE_OWN_FIRST)
            return redirect(ACCOUNT_PATH)  # the page says why (`CHOOSE_OWN_FIRST`)
        return self.get_response(request)
