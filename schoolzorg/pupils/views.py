"""Pupil search and the pupil page: fetched through access rules, every read logged."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils.access import prepared_for_user
from schoolzorg.pupils.forms import PupilSearchForm
from schoolzorg.pupils.models import Enrolment, GuardianLink, Pupil, Residence
from schoolzorg.pupils.reads import find_pupils, log_named, open_pupil
from schoolzorg.pupils.sections import sections_for


@never_cache
@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = PupilSearchForm(request.GET or None)
    results: list[Pupil] = []
    cut_off = ""  # the message that more pupils match than are shown
    if form.is_valid() and form.cleaned_data["q"]:
        found = find_pupils(request, form.cleaned_data["q"])
        results, cut_off = found.pupils, found.message
    return render(
        request,
        "pupils/search.html",
        {"form": form, "results": results, "cut_off": cut_off},
        status=400 if form.errors else 200,  # a name too long, or of hidden characters only
    )


@prepared
def _guardian_links(pupil_id: int) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(pupil_id=pupil_id).select_related("guardian")


@prepared
def _enrolments(pupil_id: int) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(pupil_id=pupil_id).select_related("school")


@prepared
def _residences(pupil_id: int) -> QuerySet[Residence]:
    return Residence.objects.filter(pupil_id=pupil_id)


@prepared_for_user
def _siblings(user: Any, family_id: int, pupil_id: int) -> QuerySet[Pupil]:
    return Pupil.objects.visible_to(user).filter(family_id=family_id).exclude(pk=pupil_id)


@never_cache
@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    pupil, basis, full = open_pupil(request, pk)
    context: dict[str, object] = {"pupil": pupil, "basis": basis, "full": full}
    if full:
        context["guardian_links"] = _guardian_links(pupil_id=pupil.pk)
        siblings = list(_siblings(user=request.user, family_id=pupil.family_id, pupil_id=pupil.pk))
        # A brother's or sister's name shown in passing is a read of them too (tester S6).
        log_named(request, ((sibling, None) for sibling in siblings), detail="broer of zus")
        context["siblings"] = siblings
        context["enrolments"] = _enrolments(pupil_id=pupil.pk)
        context["residences"] = _residences(pupil_id=pupil.pk)
    # Every section decides for itself what a user who sees only the basic data gets: for a
    # teacher of the pupil's group that is the "Zorg melden" link with their own concerns.
    context["sections"] = sections_for(request, pupil, basis, full)
    return render(request, "pupils/detail.html", context)
