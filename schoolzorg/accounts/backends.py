"""Django's model backend, with the user read of every signed-in request prepared.

After the session, loading the signed-in user is the second query of every page; building and
compiling it cost more than running it (lib.prepared). Sign-in, passwords and permissions are
Django's `ModelBackend` unchanged.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db.models import QuerySet

from schoolzorg.accounts.models import User
from schoolzorg.lib.prepared import prepared


@prepared
def _user(pk: int) -> QuerySet[User]:
    return User._default_manager.filter(pk=pk)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _user.first(pk=pk)
        return user if user is not None and self.user_can_authenticate(user) else None


def axes_username(request: Any, credentials: dict[str, Any] | None = None) -> str | None:
    """The e-mail address django-axes counts failed sign-ins by, in lower case: `IB2@…` and
    `ib2@…` are one account, so changing the case gives no fresh attempts."""
    from django.conf import settings

    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "POST", {})
    value = source.get(field) if source else None
    return value.strip().lower() if isinstance(value, str) else value
