"""Error pages in plain Dutch; missing and forbidden look the same (404) by design.

Under /api/ the same errors are `application/problem+json` (NL API Design Rules), also for an
address that matches no route, which Django answers before DRF is reached.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.template import loader

# What is shown when even the error page cannot be rendered: a complete page, no template.
FALLBACK_500 = """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Er ging iets mis – Schoolzorg</title></head>
<body><main><h1>Er ging iets mis</h1>
<p>Er ging aan onze kant iets mis. Wat u al had opgeslagen, is bewaard. Probeer het over een paar
minuten opnieuw.</p><p><a href="/">Naar Mijn werk</a></p></main></body>
</html>
"""
API_PREFIX = "/api/"
PROBLEM_JSON = "application/problem+json"
# The API's WWW-Authenticate on a 401: sign in through the site, the session cookie does the rest.
API_AUTH_CHALLENGE = 'Session realm="schoolzorg"'
# The title of an API error per status; `lib.api.problem_title` adds a few per kind of error.
PROBLEM_TITLES = {
    400: "Dit verzoek klopt niet.",
    401: "U bent niet ingelogd. Log eerst in.",
    403: "Geen toegang.",
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    406: "Deze API antwoordt alleen in JSON. Vraag om application/json.",
    415: "Stuur de inhoud als JSON (application/json).",
    429: "U hebt te veel verzoeken gedaan. Wacht even en probeer het dan opnieuw.",
    500: "Er ging aan onze kant iets mis.",
}


def problem_json(body: Mapping[str, Any]) -> bytes:
    """A problem's body as UTF-8 JSON: the only form an API error takes, whatever was asked."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def problem(
    status: int, title: str | None = None, *, headers: Mapping[str, str] | None = None
) -> HttpResponse:
    """An API error outside DRF (middleware, Django's handlers), the same shape as DRF's."""
    body = {"type": "about:blank", "title": title or PROBLEM_TITLES[status], "status": status}
    return HttpResponse(
        problem_json(body), status=status, content_type=PROBLEM_JSON, headers=headers
    )


def _render(request: HttpRequest, template: str, status: int) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return problem(status)
    body: str
    try:
        body = loader.render_to_string(template, request=request)
    except Exception:  # an error page must never fail itself
        body = FALLBACK_500
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "errors/404.html", 404)


class MethodNotAllowedPage:
    """A Dutch page for an address opened with the wrong method, where Django gives none.

    `require_POST` answers a GET with an empty 405: a user who opens the address of a form's
    action (from the history, or as the `next` page after signing in again) would see a blank
    page without a way back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = _render(request, "errors/405.html", 405)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page


# A page answered with these came back instead of doing what was sent: a form with mistakes
# (`lib.forms.answer_status`), or a step refused because the page was out of date (409).
FORM_CAME_BACK = frozenset({400, 409})


class ErrorInTitle:
    """Put "Fout: " before the title of a page that came back after a form was sent (WCAG 2.4.2).

    The title is the first thing a screen reader reads of a new page, and what a tab or the
    history shows: the page after a failed upload must not read as the page before it. Views
    say that a form came back by the status they answer (400, 409), not by a flag in each
    template, so one place covers every page; a part of a page (htmx) has no title and is left
    as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in FORM_CAME_BACK
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response.content = response.content.replace(b"<title>", b"<title>Fout: ", 1)
        return response


def server_error(request: HttpRequest) -> HttpResponse:
    """Render the 500 page without the request: no session, user, menu or database.

    Whatever failed (often the database) may fail again, so the page uses nothing but its
    template and the addresses of the static files.
    """
    if request.path.startswith(API_PREFIX):
        return problem(500)
    body: str
    try:
        body = loader.render_to_string("errors/500.html")
    except Exception:  # an error page must never fail itself
        body = FALLBACK_500
    return HttpResponseServerError(body)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token: mostly a page left open past the session.

    Configured as `CSRF_FAILURE_VIEW`. Says in Dutch what to do; the reason is for the log only.
    """
    body: str
    try:
        body = loader.render_to_string("errors/csrf.html", request=request)
    except Exception:  # an error page must never fail itself
        body = FALLBACK_500
    return HttpResponseForbidden(body)
