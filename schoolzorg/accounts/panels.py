"""Menu items and the "Mijn rollen" panel that every signed-in professional sees."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.accounts.models import Notification
from schoolzorg.accounts.roles import CASE_ROLES, Role
from schoolzorg.lib import homepanels, navigation
from schoolzorg.organisations.queries import sees_schools
from schoolzorg.pupils.access import active_memberships

_PUPIL_ROLES = CASE_ROLES | {
    Role.TEACHER,
    Role.YOUTH_HEALTH_NURSE,
    Role.NEIGHBOURHOOD_TEAM_WORKER,
    Role.NEIGHBOURHOOD_TEAM_CONTACT,
    Role.TEAM_LEADER,
}


def _home(request: HttpRequest) -> navigation.NavItem:
    return navigation.NavItem("Mijn werk", reverse("home"), order=0)


def _pupils(request: HttpRequest) -> navigation.NavItem | None:
    if any(m.role in _PUPIL_ROLES for m in active_memberships(request.user)):
        return navigation.NavItem("Leerlingen", reverse("pupils:search"), order=10)
    return None


def _schools(request: HttpRequest) -> navigation.NavItem | None:
    """Not for a role that sees no school (a neighbourhood team, the service desk): a menu item
    leading to an empty list."""
    if sees_schools(request.user):
        return navigation.NavItem("Scholen", reverse("organisations:school_list"), order=80)
    return None


def _notifications(request: HttpRequest) -> navigation.NavItem:
    """Every signed-in user has an inbox; the badge counts what they have not read yet.

    One COUNT through the (user, read_at) index, kept with the rest of the menu for a minute.
    """
    unread = Notification.objects.of(request.user).unread().count()
    return navigation.NavItem(
        "Meldingen",
        reverse("accounts:notifications"),
        order=90,
        count=unread,
        count_label="ongelezen",
    )


def _admin(request: HttpRequest) -> navigation.NavItem | None:
    """Only for who can open the admin: the role alone does not (`is_staff`, "toegang tot
    beheer", is given apart, by a superuser), and a link to a 404 helps nobody."""
    user = request.user
    if not user.is_staff:
        return None
    if user.is_superuser or any(m.role == Role.FUNCTIONAL_ADMIN for m in active_memberships(user)):
        return navigation.NavItem("Beheer", reverse("admin:index"), order=95)
    return None


def _my_roles(request: HttpRequest) -> homepanels.Panel | None:
    memberships = active_memberships(request.user)
    if not memberships:
        return None
    return homepanels.Panel(
        "Mijn rollen", "accounts/_panel_roles.html", {"memberships": memberships}, order=90
    )


navigation.register("home", _home)
navigation.register("pupils", _pupils)
navigation.register("schools", _schools)
navigation.register("notifications", _notifications)
navigation.register("admin", _admin)
homepanels.register("my_roles", _my_roles)
