"""Organisations in the Django admin. A functional administrator may look all of them up and
change their own (`accounts.adminscope`); adding and deleting are for the importers and
Django's own permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from schoolzorg.accounts.adminscope import FunctionalAdminScope
from schoolzorg.organisations import models


class _OrganisationScope(FunctionalAdminScope):
    view_all = True

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(pk__in=organisations)


@admin.register(models.Organisation)
class OrganisationAdmin(_OrganisationScope, admin.ModelAdmin[models.Organisation]):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Municipality)
class MunicipalityAdmin(_OrganisationScope, admin.ModelAdmin[models.Municipality]):
    list_display = ["name", "cbs_code", "holiday_region"]
    search_fields = ["name", "cbs_code"]


@admin.register(models.School)
class SchoolAdmin(_OrganisationScope, admin.ModelAdmin[models.School]):
    list_display = ["name", "location_code", "city", "municipality", "closed_on"]
    list_filter = ["sector", "holiday_region"]
    search_fields = ["name", "location_code", "brin", "city"]
    autocomplete_fields = ["board", "partnership", "district", "municipality"]


@admin.register(models.District)
class DistrictAdmin(_OrganisationScope, admin.ModelAdmin[models.District]):
    list_display = ["code", "name", "municipality"]
    search_fields = ["code", "name"]

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(municipality_id__in=organisations)


@admin.register(models.NeighbourhoodTeam)
class NeighbourhoodTeamAdmin(_OrganisationScope, admin.ModelAdmin[models.NeighbourhoodTeam]):
    list_display = ["name", "area_name", "municipality"]
    search_fields = ["name"]
    filter_horizontal = ["districts"]


class NamedOrganisationAdmin(_OrganisationScope, admin.ModelAdmin[Any]):
    search_fields = ["name"]


for model in (
    models.SchoolBoard,
    models.Partnership,
    models.SocialWorkProvider,
    models.YouthHealthService,
    models.ServiceDesk,
):
    admin.site.register(model, NamedOrganisationAdmin)
