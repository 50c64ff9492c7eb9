from __future__ import annotations

from django.contrib import admin

from schoolzorg.organisations import models


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin[models.Organisation]):
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin[models.Municipality]):
    list_display = ["name", "cbs_code", "holiday_region"]
    search_fields = ["name", "cbs_code"]


@admin.register(models.School)
class SchoolAdmin(admin.ModelAdmin[models.School]):
    list_display = ["name", "location_code", "city", "municipality", "closed_on"]
    list_filter = ["sector", "holiday_region"]
    search_fields = ["name", "location_code", "brin", "city"]
    autocomplete_fields = ["board", "partnership", "district", "municipality"]


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin[models.District]):
    list_display = ["code", "name", "municipality"]
    search_fields = ["code", "name"]


@admin.register(models.NeighbourhoodTeam)
class NeighbourhoodTeamAdmin(admin.ModelAdmin[models.NeighbourhoodTeam]):
    list_display = ["name", "area_name", "municipality"]
    search_fields = ["name"]
    filter_horizontal = ["districts"]


for model in (
    models.SchoolBoard,
    models.Partnership,
    models.SocialWorkProvider,
    models.YouthHealthService,
    models.ServiceDesk,
):
    admin.site.register(model, search_fields=["name"])
