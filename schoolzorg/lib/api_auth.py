"""Session authentication for the API that answers 401 (not 403) to a caller who is not signed in."""

from __future__ import annotations

from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class SessionWith401(SessionAuthentication):
    def authenticate_header(self, request: Request) -> str:
        return 'Session realm="schoolzorg"'
