"""Give every request an id, so read-log entries of one page view can be found together."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        setattr(request, "request_id", request_id)  # noqa: B010 - HttpRequest declares no such field
        response = self.get_response(request)
        response["X-Request-Id"] = request_id
        return response
