"""Retention periods in the Django admin: a functional administrator sets them for the
organisations they manage (no child data here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from schoolzorg.accounts.adminscope import FunctionalAdminScope
from schoolzorg.organisations.models import Organisation
from schoolzorg.retention.models import RetentionPeriod
from schoolzorg.retention.periods import RULE_BY_ORGANISATION_KIND


@admin.register(RetentionPeriod)
class RetentionPeriodAdmin(FunctionalAdminScope, admin.ModelAdmin[RetentionPeriod]):
    may_add = True
    list_display = ["organisation", "years", "note", "updated_at"]
    search_fields = ["organisation__name"]
    # A plain list, not an autocomplete: the autocomplete searches every organisation (the
    # organisation admin lets anyone look all of them up) and ignores the limits below.

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(organisation_id__in=organisations)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Only organisations that keep a file, and for a functional administrator only their
        own (checked again when the form is sent: `save_model`)."""
        if db_field.name == "organisation":
            kinds = list(RULE_BY_ORGANISATION_KIND)
            queryset = Organisation.objects.filter(kind__in=kinds)
            self.limit_choices(request, db_field, kwargs)
            if "queryset" in kwargs:
                queryset = kwargs["queryset"].filter(kind__in=kinds)
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
