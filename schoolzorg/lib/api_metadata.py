"""The API's answer to OPTIONS (a module of its own: DRF reads it while importing its views)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:
    from rest_framework.views import APIView


class Metadata(SimpleMetadata):
    """What an address answers and accepts, without DRF's English view name and docstring.

    DRF names a view after its function ("Pupil Detail") and describes it with its docstring,
    in English; the schema describes every address in Dutch.
    """

    def determine_metadata(self, request: Request, view: APIView) -> Any:
        metadata = dict(super().determine_metadata(request, view))
        metadata.pop("name", None)
        schema = reverse("api-schema")
        metadata["description"] = f"Wat dit adres doet, staat in de beschrijving op {schema}."
        return metadata
