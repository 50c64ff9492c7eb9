"""The error pages: Dutch, and the 500 page renders without the request or the database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, RequestFactory

from schoolzorg.lib import errors


class _BrokenUser:
    """A user whose every attribute fails, as when the session or the database is gone."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError("de database is weg")


def test_500_page_needs_no_database_and_no_user() -> None:
    # No django_db mark: pytest-django fails any query, so this also proves there is none.
    request = RequestFactory().get("/ergens/")
    request.user = _BrokenUser()  # type: ignore[assignment]
    response = errors.server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="nl"' in html
    assert "<title>Er ging iets mis – Schoolzorg</title>" in html
    assert "Wat u al had opgeslagen, is bewaard." in html


def test_500_page_falls_back_to_a_complete_page_when_its_template_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> str:
        raise RuntimeError("geen sjablonen")

    monkeypatch.setattr(errors.loader, "render_to_string", broken)
    response = errors.server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in html and "<title>" in html and "<h1>Er ging iets mis</h1>" in html


@pytest.mark.django_db
def test_a_crash_answers_with_the_dutch_500_page_through_handler500(settings: Any) -> None:
    settings.ROOT_URLCONF = "schoolzorg.audit.tests.error_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/testfout/500/")
    assert response.status_code == 500
    assert "Er ging aan onze kant iets mis." in response.content.decode()


@pytest.mark.django_db
def test_a_form_without_csrf_token_gets_a_dutch_page(settings: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/inloggen/", {"username": "a@b.example", "password": "x"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "Het formulier is niet verstuurd" in html
    assert "Wat u net invulde, is niet opgeslagen." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/testfout/400/", 400, "Dit verzoek klopt niet"),
        ("/testfout/403/", 403, "Geen toegang"),
        ("/bestaat-niet/", 404, "Niet gevonden"),
    ],
)
def test_the_other_error_pages_are_dutch(settings: Any, path: str, status: int, title: str) -> None:
    settings.ROOT_URLCONF = "schoolzorg.audit.tests.error_urls"
    response = Client().get(path)
    assert response.status_code == status
    assert f"<h1>{title}</h1>" in response.content.decode()


@pytest.mark.django_db
def test_an_api_address_that_matches_no_route_answers_problem_json() -> None:
    response = Client().get("/api/v1/leerlingen/geen-nummer/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {"type": "about:blank", "title": "Niet gevonden.", "status": 404}


def test_a_crash_under_the_api_answers_problem_json() -> None:
    response = errors.server_error(RequestFactory().get("/api/v1/leerlingen/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert json.loads(response.content)["title"] == "Er ging aan onze kant iets mis."


@pytest.mark.django_db
def test_a_form_address_opened_with_get_gets_a_dutch_405_page() -> None:
    # Sign out only takes a POST; opened from the history it used to show an empty page.
    response = Client().get("/uitloggen/")
    html = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "<h1>Deze pagina kunt u niet zo openen</h1>" in html and 'href="/"' in html
