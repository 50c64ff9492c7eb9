from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mailadres",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # One message for a wrong e-mail and a wrong password: no account enumeration.
        "invalid_login": "Het e-mailadres of wachtwoord klopt niet. Let op: na 5 mislukte "
        "pogingen wordt inloggen een half uur geblokkeerd.",
        "inactive": "Het e-mailadres of wachtwoord klopt niet.",
    }


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        help_text="De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class ReauthForm(forms.Form):
    """Password and a fresh second-factor code, for exports and break-the-glass."""

    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    token = TokenForm.base_fields["token"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        from schoolzorg.accounts.services import THROTTLED, is_throttled, verify_second_factor

        data = super().clean() or {}
        password, token = data.get("password"), (data.get("token") or "").replace(" ", "")
        throttled = bool(token) and is_throttled(self.user)
        if (
            password
            and token
            and not (self.user.check_password(password) and verify_second_factor(self.user, token))
        ):
            if throttled:
                raise forms.ValidationError(THROTTLED)
            raise forms.ValidationError(
                "Het wachtwoord of de code klopt niet. Probeer het opnieuw."
            )
        return data
