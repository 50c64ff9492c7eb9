"""The project's own password checks, where Django's are not what the Dutch screens need."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check that a password is not like the account's e-mail address or name.

    Django's Dutch puts "de" before every field ("lijkt te veel op de e-mailadres"), so the
    message names the field with its own article. Django looks at `first_name` and `last_name`,
    which this account has not: the name is `full_name`."""

    DEFAULT_USER_ATTRIBUTES = ("email", "full_name")
    # The field's verbose name, and how a sentence names it.
    NAMED = {"e-mailadres": "het e-mailadres", "naam": "de naam"}

    def __init__(
        self,
        user_attributes: tuple[str, ...] = DEFAULT_USER_ATTRIBUTES,
        max_similarity: float = 0.7,
    ) -> None:
        super().__init__(user_attributes, max_similarity)

    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError as error:
            name = str((error.params or {}).get("verbose_name", ""))
            raise ValidationError(
                "Het wachtwoord lijkt te veel op %(field)s.",
                code="password_too_similar",
                params={"field": self.NAMED.get(name, f"het gegeven ‘{name}’")},
            ) from None
