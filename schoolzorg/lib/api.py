"""API errors as `application/problem+json` (RFC 9457), as the NL API Design Rules ask.

The API speaks JSON only (`DEFAULT_RENDERER_CLASSES`): no browsable HTML API. An error is
problem+json whatever the request's `Accept` or the renderer its view uses (the schema view
renders YAML), and a request that accepts no JSON gets a 406.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import OpenApiResponse, extend_schema_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.exceptions import (
    APIException,
    NotFound,
    ParseError,
    PermissionDenied,
    ValidationError,
)
from rest_framework.response import Response
from rest_framework.views import exception_handler

from schoolzorg.lib.api_auth import CsrfFailed
from schoolzorg.lib.errors import PROBLEM_JSON, PROBLEM_TITLES, problem_json

API_PREFIX = "/api/"


class NoStoreMiddleware:
    """Keep every API answer out of browser and proxy caches.

    A search, a pupil and even an error (a 404 says whether a child is visible) are about
    children, so nothing under `/api/` may be kept, whichever view, error handler or middleware
    answered. One place, so a new route cannot forget it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            patch_cache_control(response, no_store=True)
        return response


# Headers DRF puts on an error response that the problem keeps.
_KEPT_HEADERS = ("WWW-Authenticate", "Retry-After")


class ProblemResponse(Response):
    """A problem, rendered as JSON whatever renderer content negotiation chose."""

    @property
    def rendered_content(self) -> Any:  # bytes (Django's stub says str, DRF's Any)
        self["Content-Type"] = PROBLEM_JSON
        return problem_json(self.data)


# Titles for a kind of error whose status's title (`PROBLEM_TITLES`) says too little; the first
# class that matches wins. DRF's own message is never shown: parts of it are English ("CSRF
# Failed: …", "JSON parse error - …") and it may quote the request.
_TITLES_BY_KIND: tuple[tuple[type[APIException], str], ...] = (
    (CsrfFailed, "Het beveiligingstoken ontbreekt of klopt niet. Laad de pagina opnieuw."),
    (ParseError, "De inhoud van het verzoek is geen geldige JSON."),
)


def problem_title(exc: APIException) -> str:
    """The Dutch title of an API error, by its kind, else by its status."""
    for kind, title in _TITLES_BY_KIND:
        if isinstance(exc, kind):
            return title
    status = exc.status_code
    return PROBLEM_TITLES.get(status) or PROBLEM_TITLES[500 if status >= 500 else 400]


def _reasons(messages: Any) -> str:
    if isinstance(messages, dict):
        return " ".join(_reasons(m) for m in messages.values())
    if isinstance(messages, list):
        return " ".join(_reasons(m) for m in messages)
    return str(messages)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, Http404):
        exc = NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = PermissionDenied()
    assert isinstance(exc, APIException)  # DRF's handler answers nothing else
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem_title(exc),
        "status": response.status_code,
    }
    if isinstance(exc, ValidationError) and isinstance(exc.detail, dict):
        # Our own checks' messages (Dutch), per parameter.
        body["invalid-params"] = [
            {"name": name, "reason": _reasons(messages)} for name, messages in exc.detail.items()
        ]
    headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
    return ProblemResponse(body, status=response.status_code, headers=headers)


# --- The problems in the OpenAPI schema ----------------------------------------------------------


class InvalidParamSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="De parameter die niet klopt.")
    reason = serializers.CharField(help_text="Wat er niet aan klopt.")


@extend_schema_serializer(
    component_name="Problem",
    description="Een fout (RFC 9457, `application/problem+json`), met een Nederlandse titel.",
)
class ProblemSerializer(serializers.Serializer[Any]):
    type = serializers.CharField(help_text="Altijd `about:blank`: de status zegt wat er is.")
    title = serializers.CharField(help_text="Wat er mis is, in gewoon Nederlands.")
    status = serializers.IntegerField(help_text="De HTTP-status.")

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["invalid-params"] = InvalidParamSerializer(
            many=True, required=False, help_text="Alleen bij 400: per parameter wat er mis is."
        )
        return fields


# When the API answers each status, for the schema.
_PROBLEM_CAUSES = {
    400: "Een parameter klopt niet; `invalid-params` zegt welke en waarom.",
    401: "U bent niet ingelogd, u hebt de tweede stap van het inloggen nog niet gedaan, of uw "
    "sessie is verlopen.",
    403: "Het beveiligingstoken (CSRF) ontbreekt of klopt niet.",
    404: "Niet gevonden, of u mag het niet zien: die twee zijn bewust niet te onderscheiden.",
    406: "De Accept-header laat geen JSON toe.",
}


def problem_responses(*statuses: int) -> dict[tuple[int, str], OpenApiResponse]:
    """The problems an operation can answer, for `extend_schema(responses=...)`."""
    return {
        (status, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, _PROBLEM_CAUSES[status])
        for status in statuses
    }


class SchemaView(SpectacularAPIView):
    """De beschrijving van deze API (OpenAPI 3): als YAML, of als JSON met `?format=json`."""
