"""A form sent twice makes one record: a hidden token per rendered form, unique in the database.

The back button, a resend after a network error or a slow double click sends the same token
again; the service then finds the record of the first send instead of making a second one, and
the user sees the usual success. The model has `form_token = UUIDField(null=True, blank=True,
unique=True, editable=False)`; a write without a token (another caller, an old page) is simply
not deduplicated.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.db import IntegrityError, models, transaction

REUSED = "Dit formulier is al eens verstuurd. Open het opnieuw en probeer het nog eens."
INVALID = "Dit formulier klopt niet meer. Laad de pagina opnieuw en probeer het nog eens."


class TokenInput(forms.HiddenInput):
    """A hidden input without an id: a page holds several forms with a token (a case: status,
    note, document, contact), and an id must be unique on the page."""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["id"] = False
        return context


def token_field() -> forms.UUIDField:
    """The hidden field: a new token each time the form is drawn, kept when it comes back."""
    return forms.UUIDField(
        widget=TokenInput,
        initial=uuid.uuid4,
        required=False,
        error_messages={"invalid": INVALID},
    )


def sent_before[M: models.Model](
    model: type[M], token: uuid.UUID | None, *, error: Callable[[str], Exception], **same: Any
) -> M | None:
    """The record the form with this token made before, if any. It must belong to the same
    sender and the same parent (`same`: field values); a token found elsewhere raises `error`."""
    if token is None:
        return None
    found: M | None = model._default_manager.filter(form_token=token).first()
    if found is not None and any(getattr(found, name) != value for name, value in same.items()):
        raise error(REUSED)
    return found


def create_once[M: models.Model](
    model: type[M],
    token: uuid.UUID | None,
    *,
    error: Callable[[str], Exception],
    same: dict[str, Any],
    **fields: Any,
) -> tuple[M, bool]:
    """Create the record with the token; when the same form won the race meanwhile, the record
    of that send and False. Call inside the service's transaction, after `sent_before`."""
    try:
        with transaction.atomic():
            return model._default_manager.create(form_token=token, **fields), True
    except IntegrityError:
        found = sent_before(model, token, error=error, **same)
        if found is None:
            raise
        return found, False
