"""The API's problem+json handler: a Dutch title for every error DRF can raise, never its text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import translation
from rest_framework import exceptions

from schoolzorg.lib.api import problem_exception_handler
from schoolzorg.lib.api_auth import CsrfFailed

# Words of DRF's English (and its Dutch translation's) messages that must not reach a user.
FOREIGN = (
    "CSRF Failed",
    "JSON parse error",
    "credentials",
    "Authentic",
    "request",
    "Accept header",
)


@pytest.mark.parametrize(
    ("exc", "status", "title"),
    [
        (CsrfFailed("CSRF Failed: CSRF token missing."), 403, "Het beveiligingstoken ontbreekt"),
        (exceptions.ParseError("JSON parse error - Expecting ','"), 400, "geen geldige JSON"),
        (exceptions.NotAuthenticated(), 401, "U bent niet ingelogd"),
        (exceptions.AuthenticationFailed(), 401, "U bent niet ingelogd"),
        (exceptions.PermissionDenied(), 403, "Geen toegang"),
        (DjangoPermissionDenied("no"), 403, "Geen toegang"),
        (exceptions.NotFound(), 404, "Niet gevonden"),
        (Http404("No Pupil matches the given query."), 404, "Niet gevonden"),
        (exceptions.MethodNotAllowed("POST"), 405, "Deze methode is hier niet toegestaan"),
        (exceptions.NotAcceptable(), 406, "alleen in JSON"),
        (exceptions.UnsupportedMediaType("text/plain"), 415, "Stuur de inhoud als JSON"),
        (exceptions.Throttled(wait=30), 429, "te veel verzoeken"),
        (exceptions.ValidationError({"naam": ["Geef een naam op."]}), 400, "Dit verzoek klopt"),
        (exceptions.ValidationError(["Some error"]), 400, "Dit verzoek klopt niet"),
        (exceptions.APIException(), 500, "Er ging aan onze kant iets mis"),
    ],
)
@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_api_error_has_a_dutch_title_and_no_text_of_drf(
    exc: Exception, status: int, title: str, language: str
) -> None:
    with translation.override(language):
        response = problem_exception_handler(exc, {})
        assert response is not None
        response.render()
    body = json.loads(response.content)
    assert response.status_code == body["status"] == status
    assert response["Content-Type"] == "application/problem+json"
    assert title in body["title"]
    assert not any(word in response.content.decode() for word in FOREIGN)
    assert set(body) <= {"type", "title", "status", "invalid-params"}


def test_a_validation_error_lists_its_own_messages_per_parameter() -> None:
    exc = exceptions.ValidationError({"naam": ["Geef een naam op.", "Niet te lang."]})
    response: Any = problem_exception_handler(exc, {})
    assert response.data["invalid-params"] == [
        {"name": "naam", "reason": "Geef een naam op. Niet te lang."}
    ]


def test_throttled_and_not_signed_in_keep_their_headers() -> None:
    throttled: Any = problem_exception_handler(exceptions.Throttled(wait=30), {})
    assert throttled["Retry-After"] == "30"
    refused = exceptions.NotAuthenticated()
    refused.auth_header = 'Session realm="schoolzorg"'  # type: ignore[attr-defined]
    signed_out: Any = problem_exception_handler(refused, {})
    assert signed_out["WWW-Authenticate"] == 'Session realm="schoolzorg"'


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/leerlingen/", "/api/v1/leerlingen/1/", "/api/v1/schema/"])
def test_a_body_is_never_parsed_a_deep_one_gets_403_or_405_not_500(url, member) -> None:
    """Django's CSRF check reads `request.POST` before the method is refused; with DRF's JSON
    parser a body of 100 000 `[` recursed until a 500. The API only reads: no body is parsed."""
    from django.test import Client

    from conftest import login_verified
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory

    user = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
    client = login_verified(Client(enforce_csrf_checks=True, raise_request_exception=False), user)
    deep = "[" * 100_000
    for body, content_type in [(deep, "application/json"), ('{"naam": ', "application/json")]:
        no_token = client.post(url, body, content_type=content_type)
        assert no_token.status_code == 403, no_token.content
        assert no_token["Content-Type"] == "application/problem+json"
        token = "k" * 32  # a CSRF secret as the cookie holds it; the header repeats it
        client.cookies["csrftoken"] = token
        with_token = client.post(url, body, content_type=content_type, HTTP_X_CSRFTOKEN=token)
        assert with_token.status_code == 405, with_token.content
