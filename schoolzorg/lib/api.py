"""API errors as `application/problem+json` (RFC 9457), as the NL API Design Rules ask."""

from __future__ import annotations

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler


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
    response.data = body
    response.content_type = "application/problem+json"
    return response
