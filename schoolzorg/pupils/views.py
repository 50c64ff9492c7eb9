"""Pupil search and the pupil page: fetched through access rules, every read logged."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from schoolzorg.pupils.forms import PupilSearchForm
from schoolzorg.pupils.models import Pupil
from schoolzorg.pupils.reads import SEARCH_LIMIT, find_pupils, open_pupil
from schoolzorg.pupils.sections import sections_for


@never_cache
@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = PupilSearchForm(request.GET or None)
    results: list[Pupil] = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = find_pupils(request, form.cleaned_data["q"])
    return render(
        request, "pupils/search.html", {"form": form, "results": results, "limit": SEARCH_LIMIT}
    )


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, basis, full = open_pupil(request, pk)
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
