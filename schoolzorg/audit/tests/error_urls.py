"""The project's URLconf plus three views that fail on purpose, for the error-page tests.

The error handlers are the project's own (config/urls.py): only the failures are added.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as project_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("opzettelijk kapot verzoek (test)")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("opzettelijke fout (test)")


urlpatterns = [
    path("testfout/400/", bad_request),
    path("testfout/403/", forbidden),
    path("testfout/500/", crash),
    *project_urlpatterns,
]
