"""Django admin for functional administrators: accounts and memberships, never child data."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from schoolzorg.accounts.models import Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation", "school"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "is_active"]
    search_fields = ["full_name", "email"]
    list_filter = ["is_active"]
    fieldsets = (
        (None, {"fields": ("email", "full_name", "password")}),
        ("Status", {"fields": ("is_active", "is_staff", "groups")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ("groups",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "organisation", "school", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "school"]
