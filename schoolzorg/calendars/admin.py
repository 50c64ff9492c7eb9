"""Technical management of the calendar. Reviewing suspect holidays happens at /kalender/controle/."""

from __future__ import annotations

from django.contrib import admin

from schoolzorg.calendars import models
from schoolzorg.lib.adminfields import JunkInputGuard, yes_no


@admin.register(models.PublicHoliday)
class PublicHolidayAdmin(JunkInputGuard, admin.ModelAdmin[models.PublicHoliday]):
    list_display = ["date", "name", "is_school_day_off"]
    list_editable = ["is_school_day_off"]
    list_filter = ["name", "is_school_day_off"]
    date_hierarchy = "date"


@admin.register(models.PublicHolidayRule)
class PublicHolidayRuleAdmin(JunkInputGuard, admin.ModelAdmin[models.PublicHolidayRule]):
    list_display = ["name", "municipality", yes_no("is_school_day_off", "vrij voor scholen")]
    autocomplete_fields = ["municipality"]


@admin.register(models.SchoolHoliday)
class SchoolHolidayAdmin(JunkInputGuard, admin.ModelAdmin[models.SchoolHoliday]):
    """Read-only here: a decision must go through the review page, where it is logged."""

    list_display = ["name", "region", "school_year", "start_on", "end_on", "status"]
    list_filter = ["status", "region", "school_year", "name"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: object) -> bool:
        return False


class FindingInline(admin.TabularInline[models.ImportFinding, models.ImportBatch]):
    model = models.ImportFinding
    extra = 0
    can_delete = False
    readonly_fields = ["severity", "line", "message"]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(JunkInputGuard, admin.ModelAdmin[models.ImportBatch]):
    list_display = ["started_at", "kind", "file_name", "created", "updated", "flagged"]
    readonly_fields = ["kind", "file_name", "by", "created", "updated", "unchanged", "flagged"]
    inlines = [FindingInline]


@admin.register(models.SchoolClosure)
class SchoolClosureAdmin(JunkInputGuard, admin.ModelAdmin[models.SchoolClosure]):
    list_display = ["date", "school", "reason"]
    autocomplete_fields = ["school"]
    date_hierarchy = "date"
