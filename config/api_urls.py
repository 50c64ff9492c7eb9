"""The REST API (NL API Design Rules: /api/v1/, problem+json errors). Apps add their routes here."""

from django.urls import path

from schoolzorg.lib.api import SchemaView
from schoolzorg.pupils import api as pupils_api

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("leerlingen/", pupils_api.pupil_list, name="api-pupil-list"),
    path("leerlingen/<id:pk>/", pupils_api.pupil_detail, name="api-pupil-detail"),
]
