"""Passkey (WebAuthn) ceremonies from django-otp-webauthn, with our session bookkeeping."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views as webauthn

from schoolzorg.accounts.views import passed_second_step


class CompletePasskeyAuthentication(webauthn.CompleteCredentialAuthenticationView):
    """A passkey proves possession and the person (PIN or biometrics): the second step passed
    (`passed_second_step`: a new session key), and a fresh re-authentication for exports and
    break-the-glass."""

    def complete_auth(self, device: Any) -> Any:
        result = super().complete_auth(device)
        passed_second_step(self.request, device)
        return result


app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registreren/start/",
        webauthn.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registreren/klaar/",
        webauthn.CompleteCredentialRegistrationView.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "inloggen/start/",
        webauthn.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "inloggen/klaar/",
        CompletePasskeyAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "vertalingen/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
