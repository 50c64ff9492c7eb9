"""The API only reads, so it parses no request body.

DRF parses a body as soon as anything asks for `request.data` or `request.POST`; Django's CSRF
check asks for `request.POST` on every POST without a token header, before the view refuses the
method. A JSON body of 100 000 `[` then made the JSON parser recurse until Python gave up: a
500 for any signed-in user. With this parser a body is never read: a POST without a token gets
403, with one 405 (docs/architecture.md, the API).
"""

from __future__ import annotations

from typing import IO, Any

from rest_framework.parsers import BaseParser


class IgnoredBody(BaseParser):
    media_type = "*/*"

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Any = None
    ) -> dict[str, Any]:
        return {}
