"""Pupil page sections ("Wie keek er naar dit kind", "Wijzigingen") and the menu items."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from schoolzorg.audit import history, policies
from schoolzorg.audit.lines import log_lines
from schoolzorg.audit.models import AccessLogEntry, BreakGlassGrant
from schoolzorg.lib import navigation
from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils import sections
from schoolzorg.pupils.access import can_break_glass

RECENT = 10


@prepared
def _recent_reads(pupil_id: int) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(pupil_id=pupil_id).order_by("-at", "-id")[:RECENT]


@prepared
def _grant(pk: int) -> QuerySet[BreakGlassGrant]:
    return BreakGlassGrant.objects.filter(pk=pk)


def who_looked(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full or not policies.can_see_who_looked(request.user, pupil):
        return None
    return Panel(
        "Wie keek er naar dit kind",
        "audit/_section_who_looked.html",
        {"pupil": pupil, "lines": log_lines(_recent_reads(pupil_id=pupil.pk))},
        order=90,
    )


def changes(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full or not policies.can_see_pupil_history(request.user, pupil):
        return None
    return Panel(
        "Wijzigingen",
        "audit/_section_changes.html",
        {"pupil": pupil, "changes": history.pupil_changes(pupil.pk, limit=RECENT)},
        order=95,
    )


def break_glass_notice(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if getattr(basis, "kind", "") != "break_the_glass":
        return None
    grant = _grant.first(pk=int(basis.ref))
    return Panel(
        "U gebruikt noodtoegang",
        "audit/_section_break_glass.html",
        {"grant": grant},
        order=0,
    )


def _log_menu(request: HttpRequest) -> navigation.NavItem | None:
    if policies.is_privacy_officer(request.user):
        return navigation.NavItem("Logboek", reverse("audit:index"), order=85)
    return None


def _break_glass_menu(request: HttpRequest) -> navigation.NavItem | None:
    if can_break_glass(request.user):
        return navigation.NavItem("Noodtoegang", reverse("audit:break_glass"), order=90)
    return None


sections.register("audit_break_glass", break_glass_notice)
sections.register("audit_who_looked", who_looked)
sections.register("audit_changes", changes)
navigation.register("audit_log", _log_menu)
navigation.register("audit_break_glass", _break_glass_menu)
