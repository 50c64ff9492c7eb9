"""The pupil API: the same reads (and read-log entries) as the HTML pages, as JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from schoolzorg.lib.api import problem_responses
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.reads import API_READ, SEARCH_LIMIT, find_pupils, open_pupil, search_text


@extend_schema_serializer(description="De basisgegevens van een leerling.")
class PupilBasicSerializer(serializers.ModelSerializer[Pupil]):
    school = serializers.CharField(
        source="current_school.name",
        default=None,
        allow_null=True,
        help_text="De school waar de leerling nu staat ingeschreven; null als er geen is.",
    )

    class Meta:
        model = Pupil
        fields = ["id", "first_name", "last_name", "date_of_birth", "school", "current_group"]


# The fields of the full file; a user who sees the basic fields only does not get them at all.
_ONLY_FULL = "Alleen met het volledige dossier (`full` is waar); anders ontbreekt dit veld."


class PupilSerializer(PupilBasicSerializer):
    home_district = serializers.CharField(
        source="home_district.name",
        default=None,
        allow_null=True,
        help_text=f"De wijk van het woonadres; null als die niet bekend is. {_ONLY_FULL}",
    )
    home_municipality = serializers.CharField(
        source="home_municipality.name",
        default=None,
        allow_null=True,
        help_text=f"De gemeente van het woonadres; null als die niet bekend is. {_ONLY_FULL}",
    )

    class Meta(PupilBasicSerializer.Meta):
        fields = [
            *PupilBasicSerializer.Meta.fields,
            "home_district",
            "home_municipality",
            "home_precision",
        ]
        extra_kwargs = {
            "home_precision": {
                "required": False,
                "help_text": "Hoe precies de postcode de woonwijk geeft: `pc6` (hele postcode), "
                f"`pc4` (alleen de cijfers) of leeg (postcode niet bekend). {_ONLY_FULL}",
            }
        }


class PupilSearchResultSerializer(serializers.Serializer[Any]):
    results = PupilBasicSerializer(
        many=True, help_text=f"Hoogstens {SEARCH_LIMIT} leerlingen, op achternaam en voornaam."
    )
    meer_resultaten = serializers.BooleanField(
        help_text=f"Waar: er passen meer dan {SEARCH_LIMIT} leerlingen bij de naam, en de lijst "
        "is afgekapt. Maak de zoekvraag preciezer."
    )
    melding = serializers.CharField(
        allow_null=True,
        help_text="Als de lijst is afgekapt: de melding voor de gebruiker, dezelfde als op de "
        "zoekpagina. Anders null.",
    )


@extend_schema_serializer(
    description="Eén leerling. Wie alleen de basisgegevens mag zien (`full` is onwaar, zoals een "
    "leerkracht bij de eigen groep), krijgt de velden over het woonadres niet."
)
class PupilDetailSerializer(PupilSerializer):
    basis = serializers.CharField(
        help_text="De relatie waarop u deze leerling ziet, zoals `membership` (uw rol op de "
        "school), `care_team_consent` (zorgteam, met toestemming), `case`, `referral` of "
        "`break_the_glass`."
    )
    full = serializers.BooleanField(
        help_text="Waar: u ziet het volledige dossier. Onwaar: alleen de basisgegevens."
    )

    class Meta(PupilSerializer.Meta):
        fields = [*PupilSerializer.Meta.fields, "basis", "full"]


@extend_schema(
    operation_id="leerlingen_zoeken",
    description=(
        "Zoek leerlingen op naam (`?naam=`). U krijgt alleen leerlingen die u mag zien, "
        f"hoogstens {SEARCH_LIMIT}. Passen er meer bij de naam, dan is `meer_resultaten` waar "
        "en zegt `melding` dat de lijst is afgekapt. Er zijn bewust geen pagina's: maak de "
        "zoekvraag preciezer. Elke getoonde leerling komt in het leeslogboek."
    ),
    parameters=[
        OpenApiParameter(
            "naam",
            str,
            required=True,
            description="Deel van de naam. Onzichtbare tekens (zoals een spatie zonder breedte of "
            "een zacht afbreekstreepje, na kopiëren uit een ander programma) tellen niet mee; "
            "een naam van alleen zulke tekens geeft 400.",
        )
    ],
    responses={
        200: OpenApiResponse(PupilSearchResultSerializer, "De gevonden leerlingen."),
        **problem_responses(400, 401, 406),
    },
)
@api_view(["GET", "HEAD"])
def pupil_list(request: Request) -> Response:
    """Search pupils by name; only pupils the caller may see, cut off at `SEARCH_LIMIT`."""
    text = (request.query_params.get("naam") or "").strip()
    if not text or len(text) > 100:
        raise ValidationError({"naam": ["Geef een naam op van 1 tot 100 tekens."]})
    try:
        # Hidden characters are taken out (a NUL too, which PostgreSQL refuses in a query).
        text = search_text(text)
    except DjangoValidationError as exc:
        raise ValidationError({"naam": exc.messages}) from None
    found = find_pupils(request._request, text)
    return Response(
        {
            "results": PupilBasicSerializer(found.pupils, many=True).data,
            "meer_resultaten": found.cut_off,
            "melding": found.message or None,
        }
    )


@extend_schema(
    operation_id="leerling_ophalen",
    description="Eén leerling die u mag zien. Een leerling die er niet is en een leerling die u "
    "niet mag zien, geven allebei 404. Elke keer komt in het leeslogboek.",
    responses={
        200: OpenApiResponse(PupilDetailSerializer, "De leerling."),
        **problem_responses(401, 404, 406),
    },
)
@api_view(["GET", "HEAD"])  # HEAD runs the read too: its 200 or 404 tells, and it is logged
def pupil_detail(request: Request, pk: int) -> Response:
    pupil, basis, full = open_pupil(request._request, pk, detail=API_READ)
    serializer: Any = PupilSerializer(pupil) if full else PupilBasicSerializer(pupil)
    return Response({**serializer.data, "basis": basis.kind, "full": full})
