"""Technical management of the calendar. Reviewing suspect holidays happens at /kalender/controle/."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from schoolzorg.accounts.adminscope import FunctionalAdminScope, managed_organisations
from schoolzorg.calendars import models
from schoolzorg.lib.adminfields import JunkInputGuard, yes_no
from schoolzorg.organisations.models import Municipality


@admin.register(models.PublicHoliday)
class PublicHolidayAdmin(JunkInputGuard, admin.ModelAdmin[models.PublicHoliday]):
    list_display = ["date", "name", "is_school_day_off"]
    list_editable = ["is_school_day_off"]
    list_filter = ["name", "is_school_day_off"]
    date_hierarchy = "date"


NATIONWIDE_BY_SUPERUSER = (
    "Kies uw gemeente. Een regel voor alle gemeenten stelt alleen een beheerder met alle "
    "rechten in."
)


@admin.register(models.PublicHolidayRule)
class PublicHolidayRuleAdmin(FunctionalAdminScope, admin.ModelAdmin[models.PublicHolidayRule]):
    """Which feestdagen are school days off (ADR 0004). A functional administrator of a
    municipality adds, changes and deletes the rules for their own municipality (Goede vrijdag
    off for its schools, say) and sees the rules for all municipalities, which only a superuser
    sets; an administrator of no municipality (a school board) has no rules to manage."""

    may_add = True
    list_display = ["name", "municipality", yes_no("is_school_day_off", "vrij voor scholen")]
    autocomplete_fields = ["municipality"]

    def _municipalities(self, request: HttpRequest) -> QuerySet[Any, Any] | None:
        """The municipalities the user manages as functional administrator; None when none."""
        organisations = managed_organisations(request)
        if organisations is None:
            return None
        mine = Municipality.objects.filter(pk__in=organisations)
        return mine if mine.exists() else None

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(municipality__in=Municipality.objects.filter(pk__in=organisations))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any, Any]:
        queryset = super().get_queryset(request)
        if self._by_django(request) or self._municipalities(request) is None:
            return queryset
        nationwide = models.PublicHolidayRule.objects.filter(municipality__isnull=True)
        return queryset | nationwide

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(admin.ModelAdmin.has_module_permission(self, request)) or (
            self._municipalities(request) is not None
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._by_django(request):
            return True
        if self._municipalities(request) is None:
            return False
        return obj is None or obj.municipality_id is None or self._mine(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if admin.ModelAdmin.has_add_permission(self, request):
            return True
        return self._municipalities(request) is not None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if admin.ModelAdmin.has_change_permission(self, request, obj):
            return True
        if self._municipalities(request) is None:
            return False
        return obj is None or (obj.municipality_id is not None and self._mine(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def limit_choices(self, request: HttpRequest, db_field: Any, kwargs: dict[str, Any]) -> None:
        """A functional administrator chooses one of their own municipalities, and must: a
        rule for all municipalities is for a superuser."""
        mine = self._municipalities(request)
        if db_field.name != "municipality" or mine is None or not self.is_scoped(request):
            return
        kwargs["queryset"] = mine
        kwargs["required"] = True
        kwargs["help_text"] = NATIONWIDE_BY_SUPERUSER

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self.limit_choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
