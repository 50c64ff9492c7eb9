"""The REST API (NL API Design Rules: /api/v1/, problem+json errors). Apps add their routes here."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
