"""The administrator's review of imported holidays, and a school's own study days."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from schoolzorg.calendars import policies, services
from schoolzorg.calendars.forms import ClosureForm, HolidayFileForm, ReviewForm
from schoolzorg.calendars.importing import ImportRefused
from schoolzorg.calendars.models import (
    HolidayReview,
    ImportBatch,
    ImportFinding,
    SchoolClosure,
    SchoolHoliday,
)
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.forms import answer_status
from schoolzorg.organisations.models import School

RECENT_DECISIONS = 20


def _require_reviewer(request: HttpRequest) -> None:
    if not policies.can_review_holidays(request.user):
        raise Http404


@never_cache
@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Where the calendar pages start: the review for administrators, study days for schools."""
    is_reviewer = policies.can_review_holidays(request.user)
    schools = list(policies.schools_with_closures_for(request.user).order_by("name"))
    if not is_reviewer and not schools:
        raise Http404
    if not is_reviewer and len(schools) == 1:
        return redirect("calendars:closures", school_id=schools[0].pk)
    return render(
        request,
        "calendars/index.html",
        {
            "is_reviewer": is_reviewer,
            "schools": schools,
            "pending_count": SchoolHoliday.objects.pending().count() if is_reviewer else 0,
        },
    )


@never_cache
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request)
    pending = list(SchoolHoliday.objects.pending().order_by("start_on", "source_region"))
    decisions = list(
        HolidayReview.objects.select_related("holiday", "by").order_by("-at")[:RECENT_DECISIONS]
    )
    last_import = (
        ImportBatch.objects.filter(kind=ImportBatch.Kind.SCHOOL).order_by("-started_at").first()
    )
    findings: list[ImportFinding] = (
        list(last_import.findings.filter(line__isnull=True)) if last_import else []
    )
    return render(
        request,
        "calendars/review_list.html",
        {
            "pending": pending,
            "decisions": decisions,
            "last_import": last_import,
            "findings": findings,
        },
    )


@never_cache
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """Load a school-holiday file (a new school year); suspect rows join the review list."""
    _require_reviewer(request)
    problems: list[str] = []
    form = (
        HolidayFileForm(request.POST, request.FILES)
        if request.method == "POST"
        else HolidayFileForm()
    )
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_school_holidays(
                upload.read(), file_name=upload.name, by=request.user
            )
        except ImportRefused as exc:
            problems = exc.problems
            more = (
                f" Nog {len(problems) - 1} fout(en) staan hieronder." if len(problems) > 1 else ""
            )
            form.add_error(
                "file",
                f"Het bestand is niet ingelezen; er is niets veranderd. {_sentence(problems[0])}{more}"
                if problems
                else "Het bestand is niet ingelezen; er is niets veranderd.",
            )
        else:
            messages.success(
                request,
                f"{batch.created} vakanties toegevoegd, {batch.updated} gewijzigd, "
                f"{batch.unchanged} ongewijzigd; {batch.flagged} wachten op controle.",
            )
            return redirect("calendars:review_list")
    return render(
        request,
        "calendars/upload.html",
        {"form": form, "problems": problems},
        status=400 if form.is_bound else 200,  # sent with a mistake, as the other uploads
    )


def _sentence(text: str) -> str:
    """A problem as a sentence: a full stop unless it ends in one, or in a question already
    ("… in een waarde?", from `lib.csvfiles`)."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


@never_cache
@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request)
    holiday = get_object_or_404(SchoolHoliday.objects.all(), pk=pk)
    if not holiday.awaits_review:
        # A decision sent again (the back button) or a colleague's decision meanwhile: the list,
        # with what happened, instead of a 404 that looks as if the holiday were gone.
        messages.info(request, "Over deze vakantie is al besloten.")
        return redirect("calendars:review_list")
    if request.method == "POST":
        form = ReviewForm(request.POST, holiday=holiday)
        if form.is_valid():
            data = form.cleaned_data
            try:
                shown = data["shown"]
                if data["decision"] == "approve":
                    services.approve_holiday(
                        holiday, by=request.user, note=data["note"], shown=shown
                    )
                elif data["decision"] == "correct":
                    services.correct_holiday(
                        holiday,
                        by=request.user,
                        start_on=data["start_on"],
                        end_on=data["end_on"],
                        region=data["region"],
                        note=data["note"],
                        shown=shown,
                    )
                else:
                    services.reject_holiday(
                        holiday, by=request.user, note=data["note"], shown=shown
                    )
            except services.StaleState as exc:
                messages.error(request, str(exc))
                return redirect("calendars:review_list")
            except services.ChangedMeanwhile as exc:
                # Show what is there now; the reviewer decides again on that (409 Conflict).
                holiday.refresh_from_db()
                return render(
                    request,
                    "calendars/review_detail.html",
                    {"holiday": holiday, "form": _review_form(holiday), "conflict": str(exc)},
                    status=409,
                )
            except services.CalendarError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"Uw besluit over {holiday.name} is vastgelegd.")
                return redirect("calendars:review_list")
    else:
        form = _review_form(holiday)
    return render(
        request,
        "calendars/review_detail.html",
        {"holiday": holiday, "form": form},
        status=answer_status(form),
    )


def _review_form(holiday: SchoolHoliday) -> ReviewForm:
    """The review form on what the holiday is now; `shown` carries that to the decision."""
    return ReviewForm(
        holiday=holiday,
        initial={
            "start_on": holiday.review_start_on,
            "end_on": holiday.review_end_on,
            "region": holiday.region,
            "shown": holiday.review_key,
        },
    )


@never_cache
@login_required
def closures(request: HttpRequest, school_id: int) -> HttpResponse:
    school = get_object_or_404(policies.schools_with_closures_for(request.user), pk=school_id)
    if request.method == "POST":
        form = ClosureForm(request.POST)
        if form.is_valid():
            try:
                services.add_closure(
                    school,
                    on=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except services.CalendarError as exc:
                form.add_error("date", str(exc))
            else:
                messages.success(request, "De dag is toegevoegd.")
                return redirect("calendars:closures", school_id=school.pk)
    else:
        form = ClosureForm()
    today = timezone.localdate()
    days = SchoolClosure.objects.filter(school=school)
    return render(
        request,
        "calendars/closures.html",
        {
            "school": school,
            "region": school.effective_holiday_region,
            "form": form,
            "upcoming": list(days.filter(date__gte=today)),
            "past": list(days.filter(date__lt=today).order_by("-date")[:10]),
            "holidays": list(
                SchoolHoliday.objects.approved()
                .for_region(school.effective_holiday_region)
                .filter(end_on__gte=today)
                .order_by("start_on")[:6]
            ),
        },
    )


@never_cache
@login_required
@require_POST
def closure_delete(request: HttpRequest, school_id: int, pk: int) -> HttpResponse:
    school: School = get_object_or_404(
        policies.schools_with_closures_for(request.user), pk=school_id
    )
    closure = SchoolClosure.objects.filter(pk=pk, school=school).first()
    if closure is None:
        # A double click or a second tab: the first POST removed it. Same answer for an id of
        # another school's day, so nothing about other schools shows.
        messages.info(request, "Deze dag stond al niet meer in de lijst.")
        return redirect("calendars:closures", school_id=school.pk)
    services.remove_closure(closure, by=request.user)
    messages.success(request, f"{closure.reason} op {numeric(closure.date)} is verwijderd.")
    return redirect("calendars:closures", school_id=school.pk)
