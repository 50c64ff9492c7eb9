"""Content negotiation of the API (a module of its own: DRF reads it while importing its views)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class Negotiation(DefaultContentNegotiation):
    """DRF's negotiation, but `?format=` naming no renderer of the view answers 406.

    DRF answers it with 404, which reads as "no such pupil".
    """

    def filter_renderers(
        self, renderers: Iterable[BaseRenderer], format: str
    ) -> list[BaseRenderer]:
        try:
            found: list[BaseRenderer] = super().filter_renderers(renderers, format)
        except Http404:
            raise NotAcceptable from None
        return found
