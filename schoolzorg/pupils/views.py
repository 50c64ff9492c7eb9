"""Pupil search and the pupil page: fetched through access rules, every read logged."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import record_access
from schoolzorg.lib.forms import answer_status
from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils import policies, services
from schoolzorg.pupils.access import access_basis, prepared_for_user
from schoolzorg.pupils.forms import MoveForm, PupilSearchForm
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
        context["can_record_move"] = policies.can_record_move(request.user, pupil)
    # Every section decides for itself what a user who sees only the basic data gets: for a
    # teacher of the pupil's group that is the "Zorg melden" link with their own concerns.
    context["sections"] = sections_for(request, pupil, basis, full)
    return render(request, "pupils/detail.html", context)


# What the move page logs as its read (the form names the pupil and shows the address).
MOVE_READ = "verhuizing vastleggen"


def _current_residence(pupil: Pupil) -> Residence | None:
    return pupil.residences.filter(moved_out_on__isnull=True).first()


@never_cache
@login_required
def record_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The form "Verhuizing vastleggen": a new home address and the day of the move, for the support
    coordinator of the pupil's school (`policies.can_record_move`). The new home district and
    what it decides (the neighbourhood team) are said after saving."""
    pupil = (
        Pupil.objects.filter(pk=pk)
        .select_related("current_school", "home_district", "home_municipality")
        .first()
    )
    found = access_basis(request.user, pupil) if pupil is not None else None
    if pupil is None or found is None or not found[1]:
        raise Http404
    if not policies.can_record_move(request.user, pupil):
        raise Http404
    basis = found[0]
    current = _current_residence(pupil)
    form = MoveForm(request.POST or None, initial={"expected": current.pk if current else 0})
    status = answer_status(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.record_move(
                pupil,
                postcode=data["postcode"],
                house_number=data["house_number"],
                on=data["moved_on"],
                by=request.user,
                basis=basis,
                expected=data["expected"],
            )
        except services.AlreadyMoved:
            # The user's own form sent again (a double click, the back button).
            messages.info(request, "Dit was al vastgelegd; er is niets dubbel opgeslagen.")
            return redirect("pupils:detail", pk=pupil.pk)
        except services.StaleMove as exc:
            # The page as it is now, with what was typed; only `expected` moves on, so sending
            # it again is a choice made after reading the new address.
            current = _current_residence(pupil)
            sent = request.POST.copy()
            sent["expected"] = str(current.pk if current else 0)
            form = MoveForm(sent)
            form.is_valid()
            for field, message in exc.errors:
                form.add_error(field or None, message)
            status = 409
        except services.MoveError as exc:
            for field, message in exc.errors:
                form.add_error(field if field in form.fields else None, message)
        else:
            pupil.refresh_from_db()
            where = _home_words(pupil)
            messages.success(
                request,
                f"De verhuizing is vastgelegd. {pupil.first_name} woont nu in {where}.",
            )
            for line in [*services.home_notes(pupil), *moved.told]:
                messages.info(request, line)
            return redirect("pupils:detail", pk=pupil.pk)
    # The page names the pupil and shows the address: a read (a successful move is logged by the
    # service as an update, and shows nothing here).
    record_access(
        request, action=Action.VIEW, pupil_id=pupil.pk, basis=basis, obj=pupil, detail=MOVE_READ
    )
    return render(
        request,
        "pupils/move.html",
        {
            "pupil": pupil,
            "form": form,
            "current": current,
            "home_notes": services.home_notes(pupil),
        },
        status=status,
    )


def _home_words(pupil: Pupil) -> str:
    """Where the pupil lives now, in words: "wijk Centrum, Waterstede (op postcode 3501 AB)"."""
    from schoolzorg.lib.postcodes import display_postcode

    postcode = display_postcode(pupil.home_postcode)
    if pupil.home_district is not None:
        place = f"wijk {pupil.home_district.name}"
        if pupil.home_municipality is not None:
            place += f", {pupil.home_municipality.name}"
    elif pupil.home_municipality is not None:
        place = f"de gemeente {pupil.home_municipality.name}"
    else:
        return f"postcode {postcode}"
    return f"{place} (op postcode {postcode})"
