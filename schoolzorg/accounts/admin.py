"""Django admin for functional administrators: accounts and memberships, never child data.

What a functional administrator may do here, and where: `accounts.adminscope`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    AdminUserCreationForm,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import format_lazy

from schoolzorg.accounts.adminscope import (
    PRIVACY_OFFICER_ACCOUNT,
    FunctionalAdminScope,
    account_refused,
    check_membership,
    managed_organisations,
    managed_users,
    membership_refused,
    privacy_officer_ids,
)
from schoolzorg.accounts.models import DUPLICATE_MEMBERSHIP, Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.accounts.services import reset_second_factor
from schoolzorg.lib.adminfields import JunkInputGuard, yes_no


def _checked(form: Any, request: HttpRequest) -> Any:
    """The membership form, refusing what a functional administrator may not grant."""

    class CheckedMembershipForm(form):
        def clean(self) -> Any:
            data = super().clean()
            if self.instance.pk is None or self.has_changed():
                before = Membership.objects.filter(pk=self.instance.pk).first()
                user = data.get("user")
                user_id = user.pk if user is not None else self.instance.user_id
                check_membership(request, user_id, data.get("role"), before)
            return data

    return CheckedMembershipForm


NO_ADMIN_ACCESS = (
    "{name} is functioneel beheerder, maar heeft nog geen toegang tot beheer. Alleen een "
    "beheerder met alle rechten (superuser) kan die toegang geven. Tot dan kan {name} het "
    "beheer niet openen."
)


def _note_admin_access(request: HttpRequest, memberships: Any) -> None:
    """Say it when a functional administrator's role is given to someone who cannot open the
    admin: the role does not open it, `is_staff` does, and only a superuser gives that."""
    for membership in memberships:
        user = membership.user
        if membership.role == Role.FUNCTIONAL_ADMIN and not user.is_staff:
            messages.warning(request, NO_ADMIN_ACCESS.format(name=user))


class _MembershipScope(FunctionalAdminScope):
    may_add = True

    def _checks(self, request: HttpRequest) -> bool:
        return self.is_scoped(request) and managed_organisations(request) is not None

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(organisation_id__in=organisations)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self.limit_choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kw: Any
    ) -> Any:
        form = super().get_form(request, obj, change, **kw)  # type: ignore[misc]
        return _checked(form, request) if self._checks(request) else form

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)  # type: ignore[misc]
        if self._checks(request):
            formset.form = _checked(formset.form, request)
        return formset


class MembershipFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    """An account's roles: a new row that holds a role the account has in another row of the
    form, for some of the same days, is refused. A row against the stored roles is checked by
    `Membership.clean`; two new rows of one form are stored by neither yet."""

    def clean(self) -> None:
        super().clean()
        rows = [
            form
            for form in self.forms
            if form.is_valid() and form.has_changed() and not form.cleaned_data.get("DELETE")
        ]
        shown = [form for form in self.forms if form.is_valid() and form.instance.pk]
        for i, form in enumerate(rows):
            if form.instance.pk is not None:
                continue  # a stored row: `Membership.clean` compared it with the stored ones
            earlier = rows[:i] + [f for f in shown if f not in rows]
            if any(form.instance.is_same_as(other.instance) for other in earlier):
                form.add_error(None, DUPLICATE_MEMBERSHIP)


class MembershipInline(_MembershipScope, admin.StackedInline[Membership, User]):
    model = Membership
    formset = MembershipFormSet
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organisation", "school"]

    # An inline is given the account, not a membership: whether the account may be opened is
    # UserAdmin's to say; which of its memberships are shown, `get_queryset`'s.
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._own_account(request, obj):
            return False
        return super().has_change_permission(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._own_account(request, obj):
            return False
        return super().has_add_permission(request, obj)

    def _own_account(self, request: HttpRequest, obj: Any) -> bool:
        """A functional administrator's own account: its roles are shown, not edited."""
        return obj is not None and obj.pk == request.user.pk and self._checks(request)


def _staff(field: Any) -> Any:
    return "staff_text" if field == "is_staff" else field


class SetByAdmin:
    """A password an administrator sets is one they know: its owner is asked to choose their own
    at the next sign-in (`User.password_from_admin`). Both of the admin's password forms save
    through `set_password_and_save`."""

    def set_password_and_save(self, user: User, *args: Any, **kwargs: Any) -> User:
        user.password_from_admin = True
        saved: User = super().set_password_and_save(user, *args, **kwargs)  # type: ignore[misc]
        return saved


class AccountCreationForm(SetByAdmin, AdminUserCreationForm[User]):
    """Django's form for a new account; its owner chooses their own password when signing in."""


class PasswordChangeForm(SetByAdmin, AdminPasswordChangeForm[User]):
    """Django's form, with its warning in Dutch (Django does not translate that line)."""

    usable_password_help_text = format_lazy(  # type: ignore[assignment]
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        "Zet u dit uit, dan werkt het huidige wachtwoord van deze gebruiker niet meer.",
    )


# Only a superuser sees the groups: Django's own, which give some of Django's permissions in this
# admin. What someone may do in Schoolzorg follows from their roles, never from a group.
GROUPS_HELP = (
    "Groepen van het beheer: ze geven alleen rechten hier in het beheer. Wat iemand in "
    "Schoolzorg mag, volgt uit de rollen hieronder, niet uit een groep."
)


class PasswordNote(forms.Widget):
    """The password on an account's page: that it is stored safely, and the button to set a new
    one. Not Django's summary of the stored hash (algorithm, salt, memory cost), which says
    nothing to an administrator."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        if value and not str(value).startswith(UNUSABLE_PASSWORD_PREFIX):
            note = (
                "Het wachtwoord is veilig opgeslagen. Niemand kan het lezen, ook een beheerder "
                "niet. Is het wachtwoord kwijt? Stel dan een nieuw wachtwoord in."
            )
            button = "Wachtwoord opnieuw instellen"
        else:
            note = (
                "Dit account heeft geen wachtwoord. Met een wachtwoord kan deze persoon inloggen."
            )
            button = "Wachtwoord instellen"
        return format_html(
            '<div><p>{}</p><p><a role="button" class="button" href="../password/">{}</a></p></div>',
            note,
            button,
        )

    def id_for_label(self, id_: str) -> None:  # type: ignore[override]
        return None


class AccountChangeForm(UserChangeForm[User]):
    """Django's account form with the password in plain words (`PasswordNote`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.widget = PasswordNote()
            password.help_text = ""
        groups = self.fields.get("groups")
        if groups is not None:
            groups.help_text = GROUPS_HELP


@admin.register(User)
class UserAdmin(FunctionalAdminScope, BaseUserAdmin[User]):
    may_add = True
    ordering = ["full_name"]
    list_display = ["full_name", "email", yes_no("is_active", "actief")]
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
    form = AccountChangeForm
    add_form = AccountCreationForm
    change_password_form = PasswordChangeForm
    actions = ["reset_second_factor"]

    @admin.action(
        description="Tweede stap opnieuw laten instellen (app of passkey kwijt)",
        permissions=["change"],
    )
    def reset_second_factor(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> TemplateResponse | None:
        """For someone who lost their phone and their recovery codes: their app, passkeys and
        codes are removed, and at the next sign-in they set up a new one. Not for one's own
        account, and (unless by Django's own permissions) not for a privacy officer, who reviews
        the administrators' work: with a new password as well, that would open their account.

        First a page that names the accounts and asks to confirm, as Django's delete does: one
        wrong tick would lock a colleague out until they set up again."""
        refused = queryset.filter(pk__in=[request.user.pk])
        if not request.user.is_superuser:  # the same accounts as `adminscope.account_refused`
            refused |= queryset.filter(pk__in=privacy_officer_ids())
        accounts = list(queryset.exclude(pk__in=refused.values("pk")))
        if accounts and request.POST.get("post") != "ja":
            return TemplateResponse(
                request,
                "admin/accounts/user/reset_second_factor.html",
                {
                    **self.admin_site.each_context(request),
                    "title": "Tweede stap opnieuw laten instellen?",
                    "opts": self.opts,
                    "accounts": accounts,
                    "refused": list(refused),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        for user in accounts:
            reset_second_factor(user)
        if refused.exists():
            self.message_user(
                request,
                "Niet opnieuw ingesteld voor uw eigen account of dat van een "
                "privacyfunctionaris: vraag dat aan een beheerder met alle rechten.",
                messages.ERROR,
            )
        if done := len(accounts):
            self.message_user(
                request,
                f"De tweede stap is gewist voor {done} {'account' if done == 1 else 'accounts'}. "
                f"{'Dit account is' if done == 1 else 'Deze accounts zijn'} overal uitgelogd. "
                "Bij de volgende keer inloggen wordt na het wachtwoord een nieuwe app of passkey "
                "ingesteld, met nieuwe herstelcodes.",
                messages.SUCCESS,
            )
        return None

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        return queryset.filter(pk__in=managed_users(organisations).values("pk"))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            _note_admin_access(
                request, formset.new_objects + [o for o, _ in formset.changed_objects]
            )

    @admin.display(description="toegang tot beheer")
    def staff_text(self, obj: User) -> str:
        """Shown read-only as "ja"/"nee": Django's icon is read out as "True"/"False". With
        "nee", who gives it: a functional administrator cannot."""
        if obj.is_staff:
            return "ja"
        return "nee (alleen een beheerder met alle rechten kan deze toegang geven)"

    @admin.display(description="wachtwoord")
    def password_text(self, obj: User) -> str:
        """A privacy officer's password, for a functional administrator: who sets it."""
        return "Alleen een beheerder met alle rechten (superuser) kan dit wachtwoord instellen."

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        officer = obj is not None and account_refused(request, obj)

        def shown(field: Any) -> Any:
            return "password_text" if officer and field == "password" else _staff(field)

        return [  # the groups left out: nobody else gives them, and Schoolzorg does not use them
            (name, {**options, "fields": [shown(f) for f in options["fields"] if f != "groups"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:  # nobody else hands out the admin or its groups
            fields += ["staff_text", "groups"]
        if obj is not None and obj.pk == request.user.pk:  # switching oneself off locks one out
            fields += ["is_active"]
        if obj is not None and account_refused(request, obj):
            # A privacy officer's account: switching it off, or taking over its e-mail or
            # password, would end the one who reviews the administrators' work.
            fields += ["email", "full_name", "is_active", "password_text"]
        return fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and account_refused(request, obj):
            return False
        return bool(super().has_delete_permission(request, obj))

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and account_refused(request, obj) and request.method == "GET":
            messages.warning(request, PRIVACY_OFFICER_ACCOUNT)
        return super().change_view(request, object_id, form_url, extra_context)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        """Setting or switching off a privacy officer's password is a superuser's: the page
        answers with the account's page and why."""
        user = self.get_object(request, unquote(id))
        if user is not None and account_refused(request, user):
            messages.error(request, PRIVACY_OFFICER_ACCOUNT)
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:accounts_user_change", args=[user.pk])
            )
        return super().user_change_password(request, id, form_url)


@admin.register(Membership)
class MembershipAdmin(_MembershipScope, admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "organisation", "school", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["user__full_name", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation", "school"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self._checks(request) and membership_refused(request, obj):
            return False  # shown read-only
        return super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _note_admin_access(request, [obj])


# Django's groups, for a superuser who gives a staff member some of Django's own permissions;
# registered again with the guard every admin of ours has (a junk permission id is an invalid
# choice, not a 500).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(JunkInputGuard, BaseGroupAdmin):  # type: ignore[misc]
    pass
