"""Sign in with e-mail and password, then a second factor; sign out."""

from __future__ import annotations

import base64
import io
import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolzorg.accounts import notifications, services
from schoolzorg.accounts.forms import LoginForm, PasswordChangeForm, ReauthForm, TokenForm
from schoolzorg.accounts.middleware import (
    CHOOSE_OWN_FIRST,
    SESSION_TOUCHED_KEY,
    page_at,
    seconds_left,
)
from schoolzorg.accounts.models import Notification
from schoolzorg.lib import navigation
from schoolzorg.lib.forms import answer_status

REAUTH_KEY = "sz_reauth_at"


def passed_second_step(request: HttpRequest, device: Any) -> None:
    """The second step passed (a code, a new app, a passkey): the session is fully signed in
    now, under a new key and CSRF token. A session id known after the password alone (planted
    in the owner's browser, say) is then worth nothing. It also counts as a fresh confirmation
    for the sensitive steps (`REAUTH_KEY`)."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)
    request.session[REAUTH_KEY] = time.time()


def _next_url(request: HttpRequest) -> str:
    """The page to go to after signing in: `next` when it is a page of this site; an address
    that only takes forms (which would answer 405) becomes the page it belongs to."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure()):
        path = urlsplit(nxt).path
        page = page_at(path)
        return nxt if page == path else page or "/"
    return "/"


def login_view(request: HttpRequest) -> HttpResponse:
    if services.is_verified(request.user):
        return redirect("home")
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        request.session["sz_next"] = _next_url(request)
        return redirect("accounts:verify")
    # A sent form that comes back answers 400, so its title starts with "Fout: " as on every
    # other form (`lib.errors.ErrorInTitle`); axes counts failures by signal, not by status.
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": _next_url(request)},
        status=answer_status(form),
    )


@login_required
def verify_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not services.has_confirmed_device(user):  # type: ignore[arg-type]
        return redirect("accounts:setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttled = services.is_throttled(user)  # type: ignore[arg-type]
        device = services.verify_second_factor(user, form.cleaned_data["token"])  # type: ignore[arg-type]
        if device is not None:
            passed_second_step(request, device)
            return redirect(request.session.pop("sz_next", "/"))
        form.add_error(
            "token",
            services.THROTTLED
            if throttled
            else "Deze code klopt niet of is verlopen. Probeer het opnieuw.",
        )
    return render(
        request,
        "accounts/verify.html",
        {
            "form": form,
            "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "has_passkey": services.has_passkey(user),  # type: ignore[arg-type]
        },
        status=answer_status(form),
    )


@login_required
def setup_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if services.has_confirmed_device(user):  # type: ignore[arg-type]
        return redirect("accounts:verify")
    device = services.pending_totp_device(user)  # type: ignore[arg-type]
    form = TokenForm(request.POST or None, setup=True)
    if request.method == "POST" and form.is_valid():
        throttled = services.is_throttled(user, device)  # type: ignore[arg-type]
        codes = services.confirm_totp_device(user, device, form.cleaned_data["token"])  # type: ignore[arg-type]
        if codes is not None:
            passed_second_step(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error(
            "token",
            services.THROTTLED
            if throttled
            else "Deze code klopt niet. Controleer de tijd op uw telefoon.",
        )
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    qr = base64.b64encode(buffer.getvalue()).decode()
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/setup.html",
        {"form": form, "qr": qr, "secret": secret},
        status=answer_status(form),
    )


@login_required
def reauth_view(request: HttpRequest) -> HttpResponse:
    """Ask for password and a second-factor code again before a sensitive step."""
    form = ReauthForm(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.session[REAUTH_KEY] = time.time()
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/reauth.html",
        {"form": form, "next": _next_url(request)},
        status=answer_status(form),
    )


def require_recent_auth(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the user through re-authentication first unless they passed it a moment ago."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not reauth_is_fresh(request, settings.REAUTH_SECONDS):
            return redirect(
                f"{reverse('accounts:reauth')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    """The user's own account: password and second factors (app, passkeys, recovery codes)."""
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp_webauthn.models import WebAuthnCredential

    user = request.user
    codes: list[str] | None = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "herstelcodes":
        if not reauth_is_fresh(request, settings.REAUTH_SECONDS):
            return redirect(f"{reverse('accounts:reauth')}?{urlencode({'next': request.path})}")
        codes = services.issue_recovery_codes(user)  # type: ignore[arg-type]
    password_form = PasswordChangeForm(request, request.POST if action == "wachtwoord" else None)
    if action == "wachtwoord" and password_form.is_valid():
        was_from_admin = user.password_from_admin  # type: ignore[union-attr]
        services.change_password(user, password_form.cleaned_data["new_password1"])  # type: ignore[arg-type]
        update_session_auth_hash(request, user)  # type: ignore[arg-type]  # this session stays signed in
        messages.success(
            request,
            "Uw wachtwoord is gewijzigd. Op andere computers en telefoons bent u nu uitgelogd.",
        )
        # Sent here to choose their own: now on to the work.
        return redirect("home" if was_from_admin else "accounts:account")
    context = {
        "password_form": password_form,
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkeys": WebAuthnCredential.objects.filter(user=user, confirmed=True),
        "recovery_left": StaticToken.objects.filter(device__user=user).count(),
        "new_codes": codes,
        "choose_own_password": CHOOSE_OWN_FIRST if user.password_from_admin else "",  # type: ignore[union-attr]
    }
    # A password form sent with mistakes comes back as every such form does: 400.
    status = 400 if password_form.is_bound else 200
    return render(request, "accounts/account.html", context, status=status)


@require_POST
def keep_signed_in(request: HttpRequest) -> HttpResponse:
    """Start the idle limit afresh ("Blijf ingelogd" in the warning before it); say how long.

    Under /inloggen/, so that it answers a JSON 401 after the session ended, not the login page.
    """
    if not services.is_verified(request.user):
        return JsonResponse({"ingelogd": False}, status=401)
    request.session[SESSION_TOUCHED_KEY] = time.time()  # written at the end: the limit restarts
    idle, hard = seconds_left(request)
    return JsonResponse({"ingelogd": True, "seconden": idle, "seconden_tot_einde": hard})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, "U bent uitgelogd.")
    return redirect("accounts:login")


def reauth_is_fresh(request: HttpRequest, max_age: int) -> bool:
    """Whether the user proved password and second factor within the last `max_age` seconds."""
    at = request.session.get(REAUTH_KEY)
    return at is not None and time.time() - float(at) <= max_age


NOTIFICATIONS_PER_PAGE = 25


@never_cache
@login_required
def notifications_view(request: HttpRequest) -> HttpResponse:
    """The user's own notifications, newest first, a page at a time; reading changes nothing."""
    mine = Notification.objects.of(request.user)
    page = Paginator(
        mine.order_by("-created_at", "-id").only("pk", "text", "url", "created_at", "read_at"),
        NOTIFICATIONS_PER_PAGE,
    ).get_page(request.GET.get("pagina"))
    return render(
        request,
        "accounts/notifications.html",
        {"page": page, "unread": mine.unread().count()},
    )


@never_cache
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's own notifications read and go to its page (a path on this site)."""
    notification = notifications.mark_read(request.user, pk)  # type: ignore[arg-type]
    if notification is None:
        raise Http404
    navigation.refresh(request)  # the unread count, in every worker
    target = notifications.local_path(notification.url)
    if target and not notifications.may_open(request.user, target):
        messages.info(request, "U kunt dit niet meer openen.")
        return redirect("accounts:notifications")
    return redirect(target or "accounts:notifications")


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications.mark_all_read(request.user)  # type: ignore[arg-type]
    if count:
        navigation.refresh(request)  # the unread count, in every worker
        messages.success(
            request,
            "Alle meldingen zijn gelezen." if count > 1 else "De melding is gelezen.",
        )
    return redirect("accounts:notifications")
