"""The pupil API: the same reads (and read-log entries) as the HTML pages, as JSON."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.reads import find_pupils, open_pupil


class PupilBasicSerializer(serializers.ModelSerializer[Pupil]):
    school = serializers.CharField(source="current_school.name", default=None)

    class Meta:
        model = Pupil
        fields = ["id", "first_name", "last_name", "date_of_birth", "school", "current_group"]


class PupilSerializer(PupilBasicSerializer):
    home_district = serializers.CharField(source="home_district.name", default=None)
    home_municipality = serializers.CharField(source="home_municipality.name", default=None)

    class Meta(PupilBasicSerializer.Meta):
        fields = [
            *PupilBasicSerializer.Meta.fields,
            "home_district",
            "home_municipality",
            "home_precision",
        ]


class PupilSearchResultSerializer(serializers.Serializer[Any]):
    results = PupilBasicSerializer(many=True)


class PupilDetailSerializer(PupilSerializer):
    basis = serializers.CharField(help_text="De relatie waarop u deze leerling ziet.")
    full = serializers.BooleanField(help_text="Onwaar: alleen basisgegevens (eigen groep).")

    class Meta(PupilSerializer.Meta):
        fields = [*PupilSerializer.Meta.fields, "basis", "full"]


@extend_schema(
    operation_id="leerlingen_zoeken",
    parameters=[OpenApiParameter("naam", str, required=True, description="Deel van de naam.")],
    responses=PupilSearchResultSerializer,
)
@api_view(["GET"])
def pupil_list(request: Request) -> Response:
    """Search pupils by name (`?naam=`); only pupils the caller may see are returned."""
    text = (request.query_params.get("naam") or "").strip()
    if not text or len(text) > 100:
        raise ValidationError({"naam": ["Geef een naam op van 1 tot 100 tekens."]})
    if "\x00" in text:  # PostgreSQL refuses it in a query (the HTML search form does too)
        raise ValidationError(
            {"naam": ["De naam bevat een onzichtbaar teken dat niet mag. Typ de naam opnieuw."]}
        )
    pupils = find_pupils(request._request, text)
    return Response({"results": PupilBasicSerializer(pupils, many=True).data})


@extend_schema(operation_id="leerling_ophalen", responses=PupilDetailSerializer)
@api_view(["GET"])
def pupil_detail(request: Request, pk: int) -> Response:
    pupil, basis, full = open_pupil(request._request, pk)
    serializer: Any = PupilSerializer(pupil) if full else PupilBasicSerializer(pupil)
    return Response(
        {**serializer.data, "basis": basis.kind, "full": full},
        headers={"Cache-Control": "no-store"},
    )
