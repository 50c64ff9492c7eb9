from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mailadres",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={"required": "Vul uw e-mailadres in."},
    )
    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Vul uw wachtwoord in."},
    )
    error_messages = {
        # One message for a wrong e-mail and a wrong password: no account enumeration.
        "invalid_login": "Het e-mailadres of wachtwoord klopt niet. Let op: na 5 mislukte "
        "pogingen wordt inloggen een half uur geblokkeerd.",
        "inactive": "Het e-mailadres of wachtwoord klopt niet.",
    }


def normal_code(text: str) -> str:
    """A code as typed: without spaces and in lower case (recovery codes are lower-case hex,
    printed in two groups; an app's code is digits only). Digits typed in another script or at
    full width (١٢٣, １２３) count as the digits they are, so every keyboard gives the same code."""
    text = unicodedata.normalize("NFKC", "".join(text.split())).lower()
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=24,
        strip=True,
        help_text="De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes.",
        # No numeric keyboard: a recovery code has letters.
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "Vul de code in."},
    )

    def __init__(self, *args: Any, setup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup = setup
        if setup:  # no recovery codes yet: they come after this step
            field = self.fields["token"]
            field.help_text = "De 6 cijfers die uw authenticator-app nu laat zien."
            field.widget.attrs["inputmode"] = "numeric"

    def clean_token(self) -> str:
        code = normal_code(self.cleaned_data["token"])
        # At set-up only the app's code is asked for: a code of another length is a typing
        # slip, not a phone whose clock is wrong (and is not tried, so it throttles nothing).
        if getattr(self, "setup", False) and not (len(code) == 6 and code.isdigit()):
            raise forms.ValidationError(
                f"De code heeft 6 cijfers. U typte er {len(code)}. Typ de 6 cijfers die de app "
                "nu laat zien."
                if code.isdigit()
                else "De code heeft 6 cijfers en geen letters of tekens. Typ de 6 cijfers die "
                "de app nu laat zien."
            )
        return code


class ReauthForm(forms.Form):
    """Password and a fresh second-factor code, for exports and break-the-glass."""

    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": "Vul uw wachtwoord in."},
    )
    token = TokenForm.base_fields["token"]
    clean_token = TokenForm.clean_token

    def __init__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = request.user
        # The code field is the second step's, which starts there; here the password comes
        # first, and two fields with autofocus is invalid HTML (only one can have focus).
        self.fields["token"].widget.attrs.pop("autofocus", None)

    def clean(self) -> dict[str, Any]:
        from schoolzorg.accounts.services import (
            THROTTLED,
            is_own_password,
            is_throttled,
            verify_second_factor,
        )

        data = super().clean() or {}
        password, token = data.get("password"), data.get("token") or ""
        throttled = bool(token) and is_throttled(self.user)
        if (
            password
            and token
            and not (
                is_own_password(self.request, self.user, password)
                and verify_second_factor(self.user, token)
            )
        ):
            if throttled:
                raise forms.ValidationError(THROTTLED)
            raise forms.ValidationError(
                "Het wachtwoord of de code klopt niet. Probeer het opnieuw."
            )
        return data


class PasswordChangeForm(DjangoPasswordChangeForm):
    """A professional's own new password, on "Mijn account": the current one first, so a
    session left open does not let someone else take the account; Django's validators. Saved
    by `services.change_password`, not by the form."""

    error_messages = {
        "password_incorrect": "Uw huidige wachtwoord klopt niet. Probeer het opnieuw.",
        "password_mismatch": "De twee nieuwe wachtwoorden zijn niet hetzelfde.",
    }
    old_password = forms.CharField(
        label="Huidig wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Vul uw huidige wachtwoord in."},
    )
    new_password1 = forms.CharField(
        label="Nieuw wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Minstens 12 tekens. Niet alleen cijfers, geen veelgebruikt wachtwoord, en niet "
        "te veel zoals uw naam of e-mailadres.",
        error_messages={"required": "Vul een nieuw wachtwoord in."},
    )
    new_password2 = forms.CharField(
        label="Nieuw wachtwoord nog een keer",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Vul het nieuwe wachtwoord nog een keer in."},
    )
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request.user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        """The current password, counted by django-axes when wrong (`is_own_password`)."""
        from schoolzorg.accounts.services import is_own_password

        old = self.cleaned_data["old_password"]
        if not is_own_password(self.request, self.user, old):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return str(old)

    def clean(self) -> dict[str, Any]:
        """A new password is another one: for someone whose administrator set it, keeping it
        would leave an account that someone else can open."""
        cleaned: dict[str, Any] = super().clean() or {}
        new = cleaned.get("new_password1")
        if new and new == cleaned.get("old_password"):
            self.add_error("new_password1", "Kies een ander wachtwoord dan uw huidige.")
        return cleaned
