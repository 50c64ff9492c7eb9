"""API errors as `application/problem+json` (RFC 9457), as the NL API Design Rules ask.

The API speaks JSON only (`DEFAULT_RENDERER_CLASSES`): no browsable HTML API. An error is
problem+json whatever the request's `Accept` or the renderer its view uses (the schema view
renders YAML), and a request that accepts no JSON gets a 406.
"""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler

from schoolzorg.lib.errors import PROBLEM_JSON, problem_json

# Headers DRF puts on an error response that the problem keeps.
_KEPT_HEADERS = ("WWW-Authenticate", "Retry-After")


class ProblemResponse(Response):
    """A problem, rendered as JSON whatever renderer content negotiation chose."""

    @property
    def rendered_content(self) -> Any:  # bytes (Django's stub says str, DRF's Any)
        self["Content-Type"] = PROBLEM_JSON
        return problem_json(self.data)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    title = (
        detail.get("detail")
        if isinstance(detail, dict) and "detail" in detail
        else "Ongeldige invoer"
    )
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(title),
        "status": response.status_code,
    }
    if isinstance(detail, dict) and "detail" not in detail:
        body["invalid-params"] = [
            {
                "name": name,
                "reason": " ".join(str(m) for m in (msgs if isinstance(msgs, list) else [msgs])),
            }
            for name, msgs in detail.items()
        ]
    headers = {name: response[name] for name in _KEPT_HEADERS if name in response}
    return ProblemResponse(body, status=response.status_code, headers=headers)
