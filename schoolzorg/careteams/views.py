"""Care team pages: the list of teams the user works with and the team page per school."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.careteams import services
from schoolzorg.careteams.completeness import assess, norm_hours_for
from schoolzorg.careteams.forms import AddMemberForm, EndMemberForm, HoursForm, PresenceSlotForm
from schoolzorg.careteams.models import (
    DEFAULT_NEIGHBOURHOOD_TEAM_HOURS,
    CareTeam,
    CareTeamMember,
    PresenceNorm,
    PresenceSlot,
    school_year_of,
)
from schoolzorg.careteams.policies import can_manage
from schoolzorg.lib.forms import answer_status
from schoolzorg.organisations.models import School


def _visible_school(request: HttpRequest, school_pk: int) -> School:
    """The school if the user works there, serves it, or is in its care team; else 404."""
    from schoolzorg.pupils.access import active_memberships

    served = {m.served_school_id for m in active_memberships(request.user)}
    in_team = CareTeam.objects.visible_to(request.user).filter(school_id=school_pk).exists()
    if school_pk not in served and not in_team:
        raise Http404
    return get_object_or_404(School.objects.select_related("municipality"), pk=school_pk)


def _visible_member(request: HttpRequest, pk: int) -> CareTeamMember:
    member = get_object_or_404(
        CareTeamMember.objects.select_related("team__school", "user").filter(
            team__in=CareTeam.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    if not can_manage(request.user, member.team):
        raise Http404
    return member


@never_cache
@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    year = school_year_of(timezone.localdate())
    today = timezone.localdate()
    teams = list(
        CareTeam.objects.visible_to(request.user)
        .for_year(year)
        .select_related("school")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=CareTeamMember.objects.in_force(today).select_related("user"),
                to_attr="current_members",
            )
        )
    )
    norms = {
        n.municipality_id: n.neighbourhood_team_hours
        for n in PresenceNorm.objects.filter(
            municipality_id__in={t.school.municipality_id for t in teams}
        )
    }
    rows = [
        (
            team,
            assess(
                team.current_members,  # type: ignore[attr-defined]
                norm_hours=norms.get(
                    team.school.municipality_id or 0, DEFAULT_NEIGHBOURHOOD_TEAM_HOURS
                ),
            ),
        )
        for team in teams
    ]
    return render(request, "careteams/list.html", {"rows": rows, "year": year})


FIRST_YEAR = 2000
YEARS_AHEAD = 5


def year_out_of_range(today: dt.date) -> str:
    last = school_year_of(today) + YEARS_AHEAD
    return (
        f"Dat schooljaar kan niet. Kies een schooljaar van {FIRST_YEAR}-{FIRST_YEAR + 1} tot en "
        f"met {last}-{last + 1}. U ziet nu dit schooljaar."
    )


def _year_param(request: HttpRequest, value: str, today: dt.date) -> int:
    """The school year asked for (`?jaar=2026`); this year when none, not a number (silently)
    or outside FIRST_YEAR up to YEARS_AHEAD after this year (with a message)."""
    this_year = school_year_of(today)
    try:
        year = int(value) if value else this_year
    except ValueError:
        return this_year
    if not FIRST_YEAR <= year <= this_year + YEARS_AHEAD:
        messages.error(request, year_out_of_range(today))
        return this_year
    return year


@never_cache
@login_required
def team_detail(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = _visible_school(request, school_pk)
    today = timezone.localdate()
    year = _year_param(request, request.GET.get("jaar", ""), today)
    team = CareTeam.objects.filter(school=school, school_year=year).select_related("school").first()
    members: list[CareTeamMember] = []
    history: list[CareTeamMember] = []
    changes = []
    if team is not None:
        all_members = list(
            team.members.select_related("user")
            .prefetch_related("slots")
            .order_by("role", "joined_on")
        )
        members = [
            m
            for m in all_members
            if m.joined_on <= today and (m.left_on is None or m.left_on >= today)
        ]
        # Still in the team as recorded, but their role at (or for) the school has ended: shown
        # as such, and neither counted nor granted anything (`in_force`).
        in_force = set(team.members.in_force(today).values_list("pk", flat=True))
        for m in members:
            m.role_ended = m.pk not in in_force  # type: ignore[attr-defined]
        history = all_members
        changes = list(team.changes.select_related("by")[:30])
    else:
        team = CareTeam(school=school, school_year=year)
    counting = [m for m in members if not getattr(m, "role_ended", False)]
    completeness = assess(counting, norm_hours=norm_hours_for(team))
    slots = sorted(
        ((s, m) for m in counting for s in m.slots.all()),
        key=lambda p: (p[0].weekday, p[0].starts_at),
    )
    years = sorted(
        set(CareTeam.objects.filter(school=school).values_list("school_year", flat=True)) | {year}
    )
    manage = can_manage(request.user, team)
    return render(
        request,
        "careteams/detail.html",
        {
            "school": school,
            "team": team,
            "members": members,
            "history": history,
            "changes": changes,
            "completeness": completeness,
            "slots": slots,
            "years": years,
            "year": year,
            "can_manage": manage,
            "add_form": AddMemberForm(school=school) if manage else None,
        },
    )


@login_required
def add_member(request: HttpRequest, school_pk: int) -> HttpResponse:
    school = _visible_school(request, school_pk)
    probe = CareTeam(school=school, school_year=school_year_of(timezone.localdate()))
    if not can_manage(request.user, probe):
        raise Http404
    form = AddMemberForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        team = services.team_for(school, on=form.cleaned_data["joined_on"])
        try:
            services.add_member(
                team,
                user=membership.user,
                role=membership.role,
                hours_per_week=form.cleaned_data["hours_per_week"],
                joined_on=form.cleaned_data["joined_on"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, f"{membership.user} is toegevoegd aan het team.")
            return redirect(f"{school_url(school.pk)}?jaar={team.school_year}")
    return render(
        request,
        "careteams/member_form.html",
        {"school": school, "form": form},
        status=answer_status(form),
    )


def school_url(school_pk: int) -> str:
    return reverse("careteams:detail", args=[school_pk])


@login_required
def end_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = _visible_member(request, pk)
    form = EndMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_member(member, left_on=form.cleaned_data["left_on"], by=request.user)
        except ValidationError as exc:
            form.add_error("left_on", exc.messages[0])
        else:
            messages.success(request, f"{member.user} is uit het team gehaald.")
            return redirect(school_url(member.team.school_id))
    return render(
        request,
        "careteams/simple_form.html",
        {
            "member": member,
            "form": form,
            "title": f"{member.user} uit het team halen",
            "button": "Uit het team halen",
        },
        status=answer_status(form),
    )


@login_required
def change_hours(request: HttpRequest, pk: int) -> HttpResponse:
    member = _visible_member(request, pk)
    shown = {"hours_per_week": member.hours_per_week, "expected_hours": member.hours_per_week}
    form = HoursForm(request.POST or None, initial=shown)
    status = answer_status(form)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_hours(
                member,
                hours_per_week=form.cleaned_data["hours_per_week"],
                on=form.cleaned_data["on"],
                by=request.user,
                expected=form.cleaned_data["expected_hours"],
            )
        except services.AlreadyDone as exc:
            messages.info(request, exc.messages[0])
            return redirect(school_url(exc.current.team.school_id))
        except services.StaleHours as exc:
            # The screen was out of date: the form comes back with what the user typed, for the
            # member's row as it is now; only the hidden hours move on, so sending it again is
            # a deliberate choice (as `cases.views._sent_again`).
            member = exc.current
            data = request.POST.copy()
            data["expected_hours"] = str(member.hours_per_week)
            form = HoursForm(data)
            form.is_valid()
            form.add_error(None, exc.messages[0])
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "De uren zijn aangepast.")
            return redirect(school_url(member.team.school_id))
    return render(
        request,
        "careteams/simple_form.html",
        {
            "member": member,
            "form": form,
            "title": f"Uren van {member.user} aanpassen",
            "button": "Uren opslaan",
            "action": reverse("careteams:change_hours", args=[member.pk]),
        },
        status=status,
    )


@login_required
def add_slot(request: HttpRequest, pk: int) -> HttpResponse:
    member = _visible_member(request, pk)
    form = PresenceSlotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_presence_slot(member, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "De vaste tijd is opgeslagen.")
            return redirect(school_url(member.team.school_id))
    return render(
        request,
        "careteams/simple_form.html",
        {
            "member": member,
            "form": form,
            "title": f"Vaste tijd op school voor {member.user}",
            "button": "Tijd opslaan",
        },
        status=answer_status(form),
    )


def _managed_team_from_form(request: HttpRequest) -> CareTeam | None:
    """The care team named in the posted form, if the user may see and manage it."""
    value = request.POST.get("team", "")
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    team = CareTeam.objects.visible_to(request.user).filter(pk=int(value)).first()
    if team is None or not can_manage(request.user, team):
        return None
    return team


@require_POST
@login_required
def remove_slot(request: HttpRequest, pk: int) -> HttpResponse:
    slot = (
        PresenceSlot.objects.select_related("member__team", "member__user")
        .filter(member__team__in=CareTeam.objects.visible_to(request.user))
        .filter(pk=pk)
        .first()
    )
    if slot is None:
        # A double click or a second tab: the first POST removed it. The answer depends only on
        # the team the form came from (which the user must manage), never on whether a slot with
        # this id exists elsewhere.
        team = _managed_team_from_form(request)
        if team is None:
            raise Http404
        messages.info(request, "Deze vaste tijd stond al niet meer in de lijst.")
        return redirect(school_url(team.school_id))
    if not can_manage(request.user, slot.member.team):
        raise Http404
    school_pk = slot.member.team.school_id
    services.remove_presence_slot(slot, by=request.user)
    messages.success(request, "De vaste tijd is verwijderd.")
    return redirect(school_url(school_pk))
