"""Session authentication for the API that answers 401 (not 403) to a caller who is not signed in."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from schoolzorg.lib.errors import API_AUTH_CHALLENGE


class CsrfFailed(PermissionDenied):
    """A write without a valid CSRF token (DRF raises a PermissionDenied with English text)."""


class SessionWith401(SessionAuthentication):
    def authenticate_header(self, request: Request) -> str:
        return API_AUTH_CHALLENGE

    def enforce_csrf(self, request: Request) -> None:
        try:
            super().enforce_csrf(request)
        except PermissionDenied as exc:
            raise CsrfFailed from exc


class SessionWith401Scheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """Describe the API's authentication in the OpenAPI schema: the session cookie."""

    target_class = "schoolzorg.lib.api_auth.SessionWith401"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
