"""Pupil search and the pupil page: fetched through access rules, every read logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import record_access
from schoolzorg.pupils.access import access_basis
from schoolzorg.pupils.forms import PupilSearchForm
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.sections import sections_for

SEARCH_LIMIT = 50


@never_cache
@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = PupilSearchForm(request.GET or None)
    results: list[Pupil] = []
    if form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"]
        results = list(
            Pupil.objects.visible_to(request.user)
            .search(text)
            .select_related("current_school")[:SEARCH_LIMIT]
        )
        with transaction.atomic():
            # One entry per pupil shown: a search result is a read of that pupil's name.
            for pupil in results:
                found = access_basis(request.user, pupil)
                record_access(
                    request,
                    action=Action.SEARCH,
                    pupil_id=pupil.pk,
                    basis=found[0] if found else None,
                    detail="zoekresultaat",
                )
    return render(
        request, "pupils/search.html", {"form": form, "results": results, "limit": SEARCH_LIMIT}
    )


def get_visible_pupil(request: HttpRequest, pk: int) -> tuple[Pupil, object, bool]:
    """The pupil with its access basis, or 404 for missing and forbidden alike."""
    pupil = (
        Pupil.objects.filter(pk=pk)
        .select_related(
            "current_school", "family", "home_district", "home_municipality", "home_neighbourhood"
        )
        .first()
    )
    found = access_basis(request.user, pupil) if pupil is not None else None
    if pupil is None or found is None:
        raise Http404
    basis, full = found
    return pupil, basis, full


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, basis, full = get_visible_pupil(request, pk)
    with transaction.atomic():
        record_access(
            request,
            action=Action.VIEW,
            pupil_id=pupil.pk,
            basis=basis,  # type: ignore[arg-type]
            obj=pupil,
            detail="leerlingpagina" if full else "basisgegevens",
        )
    context: dict[str, object] = {"pupil": pupil, "basis": basis, "full": full}
    if full:
        context["guardian_links"] = pupil.guardian_links.select_related("guardian")
        context["siblings"] = (
            Pupil.objects.visible_to(request.user)
            .filter(family_id=pupil.family_id)
            .exclude(pk=pupil.pk)
        )
        context["enrolments"] = pupil.enrolments.select_related("school")
        context["residences"] = pupil.residences.all()
        context["sections"] = sections_for(request, pupil, basis, full)
    return render(request, "pupils/detail.html", context)
