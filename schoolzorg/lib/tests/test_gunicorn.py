"""gunicorn, as `gunicorn config.wsgi` starts it from the project folder, hands Django request
lines long enough for the API to answer a too-long parameter itself (problem+json in Dutch)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def gunicorn_config(monkeypatch: pytest.MonkeyPatch) -> Any:
    """The settings gunicorn starts with: the command line of `make run`, in the project folder."""
    from gunicorn.app.wsgiapp import WSGIApplication

    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", ["gunicorn", "config.wsgi"])
    return WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg


def _request(cfg: Any, target: str) -> Any:
    from gunicorn.http.parser import RequestParser

    raw = f"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
    return next(iter(RequestParser(cfg, io.BytesIO(raw), ("127.0.0.1", 40000))))


def test_gunicorn_passes_a_long_request_line_on_to_django(gunicorn_config: Any) -> None:
    from gunicorn.http.errors import LimitRequestLine

    assert gunicorn_config.limit_request_line == 8190
    target = "/api/v1/leerlingen/?naam=" + "a" * 5000
    assert _request(gunicorn_config, target).uri == target
    too_long = "/api/v1/leerlingen/?naam=" + "a" * 8200  # beyond it gunicorn answers (414)
    with pytest.raises(LimitRequestLine):
        _request(gunicorn_config, too_long)


@pytest.mark.django_db
def test_the_api_answers_such_a_request_in_dutch_problem_json(client_for: Any, member: Any) -> None:
    from schoolzorg.accounts.roles import Role
    from schoolzorg.organisations.tests.factories import SchoolFactory

    target = "/api/v1/leerlingen/?naam=" + "a" * 8100
    signed_out = Client().get(target)
    assert signed_out.status_code == 401
    assert signed_out["Content-Type"] == "application/problem+json"
    assert signed_out.json()["title"] == "U bent niet ingelogd. Log eerst in."
    ib = client_for(member(Role.SUPPORT_COORDINATOR, SchoolFactory()))
    refused = ib.get(target)
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in refused.json()["invalid-params"]] == ["naam"]
