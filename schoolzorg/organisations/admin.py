"""Organisations in the Django admin. A functional administrator may look all of them up and
change their own (`accounts.adminscope`): the name and contact details, not what places the
organisation in the registry (`STRUCTURAL`); adding and deleting are for the importers and
Django's own permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from schoolzorg.accounts.adminscope import FunctionalAdminScope, managed_organisations
from schoolzorg.organisations import models

# What places an organisation: its kind, the municipality, board, partnership and district it
# belongs to (which decide whose administrators and privacy officers answer for it, and which
# team a referral goes to), and the registry keys the importers match on. A functional
# administrator who moved their own school to another municipality lost it, and its people, and
# its history left the privacy officer who oversaw it.
STRUCTURAL = (
    "kind",
    "municipality",
    "board",
    "partnership",
    "district",
    "cbs_code",
    "location_code",
    "brin",
    "number",
    "code",
)


class _OrganisationScope(FunctionalAdminScope):
    view_all = True

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(pk__in=organisations)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        if self.is_scoped(request):
            names = {f.name for f in self.model._meta.get_fields()}  # type: ignore[attr-defined]
            fields += [name for name in STRUCTURAL if name in names and name not in fields]
        return fields


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

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """A functional administrator gives a team only districts of the municipalities they
        manage: a district elsewhere would send that municipality's referrals to this team."""
        organisations = managed_organisations(request)
        if db_field.name == "districts" and self.is_scoped(request) and organisations is not None:
            kwargs["queryset"] = models.District.objects.filter(municipality_id__in=organisations)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
