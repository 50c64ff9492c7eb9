"""The functional administrator's part of the Django admin: deny by default, scoped by organisation.

Someone with an active functional-administrator membership (and `is_staff`, which opens the
admin) manages the organisation of that membership and what it answers for
(`organisations.queries.ANSWERS_FOR`: a municipality every organisation in it, a school board its
schools):

- accounts of people with a membership there, and new accounts that have none yet;
- the memberships at those organisations: add, change, end (`valid_until`); never delete, so the
  history of who held which role stays;
- the organisations themselves: all can be looked up (public registry data, needed to name a
  served school), only their own can be changed; adding and deleting come from the importers.
  Where a field accepts only their own (a membership's organisation and person), the admin's
  autocomplete offers only those too.

They cannot make anyone staff or change groups, and cannot give themselves power over child
data or its oversight: they add or change no membership of their own account (their own
memberships are shown read-only), and they neither appoint nor change a privacy officer (the
one who reviews their work; a superuser appoints them), nor the privacy officer's account: its
name, e-mail, active flag, password and second step stay as they are (`account_refused`). Making a colleague functional
administrator at an organisation they manage is ordinary work and allowed: that colleague's
scope is never wider than their own. Whoever holds Django's own permissions (a superuser, or
someone granted them) works as before. Every membership change is in the change history the
privacy officers review.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from schoolzorg.accounts.models import Membership, User
from schoolzorg.accounts.roles import Role
from schoolzorg.lib import requestcache
from schoolzorg.lib.adminfields import JunkInputGuard
from schoolzorg.organisations.queries import organisations_answered_for


def managed_organisations(request: HttpRequest) -> QuerySet[Any, Any] | None:
    """A subquery of the ids of the organisations the signed-in user manages as functional
    administrator; None when they are none. Read once per request."""

    def compute() -> QuerySet[Any, Any] | None:
        owners = [
            (m.organisation_id, m.organisation.kind)
            for m in Membership.objects.active()
            .filter(user_id=request.user.pk or 0, role=Role.FUNCTIONAL_ADMIN)
            .select_related("organisation")
        ]
        return organisations_answered_for(owners) if owners else None

    return requestcache.cached(("functional_admin_organisations", request.user.pk), compute)


def managed_users(organisations: QuerySet[Any, Any]) -> QuerySet[User]:
    """People with a membership at one of these organisations, and accounts without any yet."""
    at = Membership.objects.filter(organisation_id__in=organisations).values("user_id")
    any_membership = Membership.objects.filter(user_id=OuterRef("pk"))
    return User.objects.filter(Q(pk__in=at) | ~Exists(any_membership))


# Who may appoint a privacy officer: not a functional administrator, whose work they oversee.
APPOINTED_BY_SUPERUSER = frozenset({Role.PRIVACY_OFFICER})

OWN_MEMBERSHIP = (
    "U kunt uw eigen rollen niet toevoegen of wijzigen. Vraag dit aan een andere beheerder."
)
PRIVACY_OFFICER_BY_SUPERUSER = (
    "Een privacyfunctionaris wordt aangewezen door een beheerder met alle rechten, niet door "
    "een functioneel beheerder."
)


PRIVACY_OFFICER_ACCOUNT = (
    "Dit is het account van een privacyfunctionaris. Alleen een beheerder met alle rechten "
    "(superuser) kan de naam, het e-mailadres, het wachtwoord of de tweede stap van dit account "
    "wijzigen, of het account uitzetten of verwijderen: de privacyfunctionaris controleert het "
    "werk van de functioneel beheerders."
)


def privacy_officer_ids() -> QuerySet[Any, Any]:
    """A subquery of the ids of the accounts that hold a privacy-officer role now or from a
    later day (not one that ended): their account is a superuser's to change."""
    today = timezone.localdate()
    return (
        Membership.objects.filter(role__in=APPOINTED_BY_SUPERUSER)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values("user_id")
    )


def account_refused(request: HttpRequest, user: Any) -> bool:
    """Whether the signed-in user must leave this account as it is (its name, e-mail, active
    flag, password, second step; deleting it): a privacy officer's, unless they are a superuser.
    Deactivating the account, or taking over its e-mail or password, would end the officer who
    reviews the administrators' work as surely as ending the role."""
    if user is None or getattr(request.user, "is_superuser", False):
        return False
    return User.objects.filter(pk=user.pk, pk__in=privacy_officer_ids()).exists()


def membership_refused(request: HttpRequest, membership: Any) -> bool:
    """Whether a functional administrator must leave this (stored) membership as it is: one of
    their own, or a privacy officer's."""
    return membership.user_id == request.user.pk or membership.role in APPOINTED_BY_SUPERUSER


def check_membership(request: HttpRequest, user_id: Any, role: Any, before: Any) -> None:
    """Refuse a membership a functional administrator adds or changes for their own account, or
    one that makes (or made) someone privacy officer. `before` is the stored membership, or
    None for a new one."""
    if request.user.pk in (user_id, getattr(before, "user_id", None)):
        raise ValidationError(OWN_MEMBERSHIP)
    if APPOINTED_BY_SUPERUSER & {role, getattr(before, "role", None)}:
        raise ValidationError({"role": PRIVACY_OFFICER_BY_SUPERUSER})


class FunctionalAdminScope(JunkInputGuard):
    """ModelAdmin (or inline) mixin: Django's permissions, else the functional administrator's.
    Junk ids and initial values are answered as missing (`lib.adminfields.JunkInputGuard`).

    A subclass says which objects are theirs (`scoped`), whether they may add (`may_add`), and
    whether they may look at all objects while changing only their own (`view_all`)."""

    may_add = False
    view_all = False

    def scoped(self, queryset: QuerySet[Any, Any], organisations: Any) -> QuerySet[Any, Any]:
        raise NotImplementedError

    def _by_django(self, request: HttpRequest) -> bool:
        """Django's own permissions let the user see every object (a superuser, say)."""
        return bool(super().has_view_permission(request))  # type: ignore[misc]

    def is_scoped(self, request: HttpRequest) -> bool:
        """The user changes objects here only as functional administrator, not by Django's own
        permission to change them all."""
        return not super().has_change_permission(request)  # type: ignore[misc]

    def _mine(self, request: HttpRequest, obj: Any) -> bool:
        organisations = managed_organisations(request)
        if organisations is None:
            return False
        if obj is None:
            return True
        model = self.model  # type: ignore[attr-defined]
        return self.scoped(model._default_manager.filter(pk=obj.pk), organisations).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_module_permission(request)) or (  # type: ignore[misc]
            managed_organisations(request) is not None
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._by_django(request):
            return True
        if self.view_all and managed_organisations(request) is not None:
            return True
        return self._mine(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if super().has_change_permission(request, obj):  # type: ignore[misc]
            return True
        return self._mine(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if super().has_add_permission(request, *args):  # type: ignore[misc]
            return True
        return self.may_add and managed_organisations(request) is not None

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any, Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if self.view_all or self._by_django(request):
            return queryset
        organisations = managed_organisations(request)
        if organisations is None:
            return queryset.none()
        return self.scoped(queryset, organisations)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any, Any], search_term: str
    ) -> tuple[QuerySet[Any, Any], bool]:
        """The admin's autocomplete offers what the form will accept: when it looks up the
        choices of a field whose admin limits them (`limit_choices`), only those."""
        queryset, distinct = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        limited = _autocomplete_choices(request)
        if limited is not None:
            queryset = queryset.filter(pk__in=limited.values("pk"))
        return queryset, distinct

    def limit_choices(self, request: HttpRequest, db_field: Any, kwargs: dict[str, Any]) -> None:
        """Only the functional administrator's own organisations and people can be chosen for a
        membership (checked again when the form is sent)."""
        organisations = managed_organisations(request)
        if organisations is None or self._by_django(request):
            return
        from schoolzorg.organisations.models import Organisation

        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.filter(pk__in=organisations)
        elif db_field.name == "user":
            kwargs["queryset"] = managed_users(organisations)


def _autocomplete_choices(request: HttpRequest) -> QuerySet[Any, Any] | None:
    """For the admin's autocomplete view: the choices the source field's admin allows, when it
    limits them; None otherwise (another view, or a field nobody limits)."""
    from django.apps import apps
    from django.contrib import admin
    from django.contrib.admin.exceptions import NotRegistered
    from django.core.exceptions import FieldDoesNotExist

    if request.resolver_match is None or request.resolver_match.url_name != "autocomplete":
        return None
    params = request.GET
    try:
        model = apps.get_model(params.get("app_label", ""), params.get("model_name", ""))
        source = admin.site.get_model_admin(model)
        field = model._meta.get_field(params.get("field_name", ""))
    except (LookupError, ValueError, FieldDoesNotExist, NotRegistered):
        return None
    if not isinstance(source, FunctionalAdminScope):
        return None
    kwargs: dict[str, Any] = {}
    source.limit_choices(request, field, kwargs)
    return kwargs.get("queryset")
