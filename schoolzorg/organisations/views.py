"""Home ("Mijn werk"), school pages, and the public pages (sources, privacy, health)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from schoolzorg.lib.homepanels import panels_for
from schoolzorg.organisations.queries import schools_visible_to


@never_cache  # its panels name pupils (cases, actions, referrals)
@login_required
def home(request: HttpRequest) -> HttpResponse:
    from schoolzorg.accounts.models import Membership

    panels = panels_for(request)
    # Without any panel there is no role in force: say whether one ended or none was given yet.
    mine = Membership.objects.filter(user=request.user)  # type: ignore[misc]
    role_ended = not panels and mine.ended().exists()
    return render(request, "organisations/home.html", {"panels": panels, "role_ended": role_ended})


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    schools = schools_visible_to(request.user).select_related("municipality", "district")
    return render(request, "organisations/school_list.html", {"schools": schools[:200]})


@login_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from schoolzorg.accounts.models import Membership

    school = get_object_or_404(
        schools_visible_to(request.user).select_related(
            "municipality", "district", "partnership", "board"
        ),
        pk=pk,
    )
    members = (
        Membership.objects.active()
        .filter(Q(organisation_id=school.pk) | Q(school_id=school.pk))
        .select_related("user", "organisation")
        .order_by("role", "user__full_name")
    )
    return render(
        request, "organisations/school_detail.html", {"school": school, "members": members}
    )


def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def sources(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/sources.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "organisations/privacy.html")
