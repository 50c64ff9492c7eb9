"""Every write to the school calendar: imports, the administrator's review, a school's study days.

Each function is one transaction; a review is a compare-and-set on the pending state, so two
administrators deciding at once get a clear message instead of overwriting each other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from schoolzorg.calendars import importing
from schoolzorg.calendars.models import (
    OPTIONAL_PUBLIC_HOLIDAYS,
    HolidayReview,
    HolidayStatus,
    ImportBatch,
    ImportFinding,
    PublicHoliday,
    SchoolClosure,
    SchoolHoliday,
    school_year_of,
)
from schoolzorg.calendars.workingdays import bump_version, many_changes
from schoolzorg.lib.daterange import CLOSURE_DAYS_AHEAD
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import is_blank
from schoolzorg.organisations.models import Municipality, School


class CalendarError(Exception):
    """A write that cannot be done; the message is for the user, in Dutch."""


class StaleState(CalendarError):
    pass


STALE_MESSAGE = "Iemand anders heeft over deze vakantie al besloten. Bekijk de lijst opnieuw."


def _file_name(source: str | Path | bytes, given: str) -> str:
    if given:
        return given[:300]
    return "(geüpload bestand)" if isinstance(source, bytes) else Path(source).name[:300]


def _source_bytes(source: str | Path | bytes) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _read_school_year(text: str) -> str:
    """A school year as the holidays store it ("2025/2026"), also when written "2025-2026"."""
    found = re.fullmatch(r"\s*(\d{4})\s*[/\-–]\s*(\d{4})\s*", text)
    if found is None or int(found[2]) != int(found[1]) + 1:
        raise importing.ImportRefused(
            [f"het schooljaar {text!r} is niet te lezen: schrijf het als 2025/2026"]
        )
    return f"{found[1]}/{found[2]}"


def import_school_holidays(
    source: str | Path | bytes,
    *,
    file_name: str = "",
    by: Any = None,
    school_year: str = "",
) -> ImportBatch:
    """Import a school-holiday file: clean rows approved, suspect rows pending review.

    A row is known by its source id and region code, so importing the same file again changes
    nothing, and a correction the administrator made stays. A row whose id is new is known by
    region, school year and name: a holiday first loaded from the other kind of file (CSV or
    Rijksoverheid's JSON), or from the same kind under other ids (a regenerated export), is
    compared with, never stored twice; new dates for an approved one wait for review. Raises
    ImportRefused when the file cannot be read; then nothing is stored. With `school_year`,
    only that year's rows are taken.
    """
    rows = importing.parse_school_file(_source_bytes(source))
    if school_year:
        school_year = _read_school_year(school_year)
        rows = [r for r in rows if school_year_of(r.start_on) == school_year]
        if not rows:
            raise importing.ImportRefused([f"het bestand heeft geen vakanties in {school_year}"])
    with transaction.atomic(), many_changes():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.SCHOOL, file_name=_file_name(source, file_name), by=by
        )
        existing = {
            (h.source_id, h.source_region): h
            for h in SchoolHoliday.objects.filter(source_id__in={r.source_id for r in rows})
        }
        by_name = _stored_under_other_ids(rows, set(existing))
        findings: list[ImportFinding] = []
        for row in rows:
            for code in row.groups:
                reasons = importing.row_concerns(row.name, row.start_on, row.end_on, code)
                status = HolidayStatus.PENDING if reasons else HolidayStatus.APPROVED
                holiday = existing.get((row.source_id, code))
                if holiday is None:
                    holiday = by_name.pop(
                        (code, school_year_of(row.start_on), row.name.lower()), None
                    )
                    if holiday is not None:
                        source = (
                            "onder een ander Id"
                            if importing.source_kind(holiday.source_id)
                            == importing.source_kind(row.source_id)
                            else "uit een bestand van de andere bron"
                        )
                        findings.append(
                            ImportFinding(
                                batch=batch,
                                severity=ImportFinding.Severity.INFO,
                                line=row.line,
                                message=(
                                    f"{row.name} ({code}) {holiday.school_year} stond er al, "
                                    f"{source}; vergeleken met die vakantie, niet dubbel "
                                    "opgenomen."
                                ),
                            )
                        )
                values = {
                    "name": row.name,
                    "region": importing.REGION_CODES.get(code, ""),
                    "source_start_on": row.start_on,
                    "source_end_on": row.end_on,
                }
                if holiday is not None and all(getattr(holiday, k) == v for k, v in values.items()):
                    batch.unchanged += 1
                    continue
                dates_changed = holiday is not None and (
                    holiday.source_start_on,
                    holiday.source_end_on,
                ) != (row.start_on, row.end_on)
                if holiday is None:
                    holiday = SchoolHoliday(source_id=row.source_id, source_region=code)
                    batch.created += 1
                else:
                    batch.updated += 1
                    findings.append(
                        ImportFinding(
                            batch=batch,
                            severity=ImportFinding.Severity.INFO,
                            line=row.line,
                            message=f"{row.name} ({code}) is in de bron gewijzigd en opnieuw beoordeeld.",
                        )
                    )
                for key, value in values.items():
                    setattr(holiday, key, value)
                holiday.source_line = row.line
                holiday.batch = batch
                if holiday.status == HolidayStatus.APPROVED and holiday.pk is not None:
                    # In force: new dates wait for review, the approved ones keep counting. Only
                    # the name changed: the dates (perhaps corrected by the reviewer) stay.
                    reasons = (
                        _propose(holiday, row.start_on, row.end_on, reasons)
                        if dates_changed
                        else []
                    )
                    label = f"{row.name} {code}"
                else:
                    holiday.start_on, holiday.end_on = row.start_on, row.end_on
                    holiday.proposed_start_on = holiday.proposed_end_on = None
                    holiday.school_year = school_year_of(row.start_on)
                    holiday.status = status
                    holiday.flag_reason = "; ".join(reasons)[:500]
                    holiday.reviewed_by, holiday.reviewed_at, holiday.review_note = None, None, ""
                    label = f"{row.name} {code} {row.start_on}–{row.end_on}"
                holiday.save()
                if reasons:
                    batch.flagged += 1
                    findings.append(
                        ImportFinding(
                            batch=batch,
                            severity=ImportFinding.Severity.WARNING,
                            line=row.line,
                            message=f"{label}: " + "; ".join(reasons),
                        )
                    )
        for gap in importing.missing_holidays(rows):
            findings.append(
                ImportFinding(
                    batch=batch,
                    severity=(
                        ImportFinding.Severity.INFO
                        if gap.at_edge
                        else ImportFinding.Severity.WARNING
                    ),
                    message=gap.message[:500],
                )
            )
        ImportFinding.objects.bulk_create(findings)
        batch.save()
    return batch


def _stored_under_other_ids(
    rows: list[importing.SchoolRow], matched: set[tuple[str, str]]
) -> dict[tuple[str, str, str], SchoolHoliday]:
    """Stored holidays of these rows' regions, school years and names, by (region code, school
    year, name), leaving out those the file names by their own id (`matched`).

    The same holiday under another source id: loading Rijksoverheid's JSON after the CSV (or
    the other way round), or an OpenHolidays export whose ids were regenerated, compares with
    them instead of storing each holiday twice, so a corrected (shorter) holiday does not
    leave the old one in force next to it."""
    candidates = SchoolHoliday.objects.filter(
        source_region__in={code for r in rows for code in r.groups},
        school_year__in={school_year_of(r.start_on) for r in rows},
        name__in={r.name for r in rows},
    ).exclude(source_id="")
    found: dict[tuple[str, str, str], SchoolHoliday] = {}
    for holiday in candidates.order_by("pk"):
        if (holiday.source_id, holiday.source_region) not in matched:
            found.setdefault(
                (holiday.source_region, holiday.school_year, holiday.name.lower()), holiday
            )
    return found


def _propose(
    holiday: SchoolHoliday, start_on: dt.date, end_on: dt.date, reasons: list[str]
) -> list[str]:
    """Put the file's new dates of an approved holiday aside for review; its approved dates
    stay in force. Returns why it waits (empty when the file returns to the approved dates)."""
    if (start_on, end_on) == (holiday.start_on, holiday.end_on):
        holiday.proposed_start_on = holiday.proposed_end_on = None
        holiday.flag_reason = ""
        return []
    holiday.proposed_start_on, holiday.proposed_end_on = start_on, end_on
    why = [
        f"het bestand noemt nu {numeric(start_on)} t/m {numeric(end_on)}; tot uw besluit "
        f"gelden {numeric(holiday.start_on)} t/m {numeric(holiday.end_on)}",
        *reasons,
    ]
    holiday.flag_reason = "; ".join(why)[:500]
    return why


def import_public_holidays(
    source: str | Path | bytes, *, file_name: str = "", by: Any = None
) -> ImportBatch:
    """Import public holidays; Goede vrijdag and Bevrijdingsdag arrive as school days.

    A row is known by its source id, so a date corrected at the source (Koningsdag 2027 on 26
    April instead of 27, same Id) moves the holiday rather than adding a second day off; a row
    without an id, or one not stored yet, is matched on its date. A holiday already stored keeps
    its `is_school_day_off`, so a choice made after the first import survives the next.
    """
    rows = importing.parse_public_file(_source_bytes(source))
    with transaction.atomic(), many_changes():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.PUBLIC, file_name=_file_name(source, file_name), by=by
        )
        stored = list(PublicHoliday.objects.all())
        by_id = {h.source_id: h for h in stored if h.source_id}
        on_date = {h.date: h for h in stored}
        claimed = {row.source_id for row in rows if row.source_id in by_id}
        todo: list[tuple[importing.PublicRow, PublicHoliday | None]] = []
        for row in rows:
            holiday = by_id.get(row.source_id) if row.source_id else None
            if holiday is None:
                at_date = on_date.get(row.date)
                if at_date is not None and at_date.source_id not in claimed:
                    holiday = at_date
            todo.append((row, holiday))
        # Moves and new days go where the date is free; a holiday moving away frees its date.
        while todo:
            waiting: list[tuple[importing.PublicRow, PublicHoliday | None]] = []
            for row, holiday in todo:
                occupant = on_date.get(row.date)
                if occupant is not None and occupant is not holiday:
                    waiting.append((row, holiday))
                    continue
                if holiday is None:
                    on_date[row.date] = PublicHoliday.objects.create(
                        date=row.date,
                        name=row.name,
                        source_id=row.source_id,
                        is_school_day_off=row.name not in OPTIONAL_PUBLIC_HOLIDAYS,
                    )
                    batch.created += 1
                elif (holiday.date, holiday.name, holiday.source_id) != (
                    row.date,
                    row.name,
                    row.source_id,
                ):
                    del on_date[holiday.date]
                    holiday.date, holiday.name, holiday.source_id = (
                        row.date,
                        row.name,
                        row.source_id,
                    )
                    holiday.save(update_fields=["date", "name", "source_id"])
                    on_date[row.date] = holiday
                    batch.updated += 1
                else:
                    batch.unchanged += 1
            if len(waiting) == len(todo):
                raise importing.ImportRefused(
                    [
                        f"regel {row.line}: op {numeric(row.date)} staat al "
                        f"{on_date[row.date].name} (een andere feestdag uit een eerder bestand)"
                        for row, _ in waiting
                    ]
                )
            todo = waiting
        batch.save()
    return batch


@dataclass
class RegionImportResult:
    batch: ImportBatch
    matched: int = 0
    split: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    no_region: list[str] = field(default_factory=list)  # Groups empty, also on the province
    from_province: int = 0  # Groups empty: the province's region used
    not_in_file: list[str] = field(default_factory=list)  # known here, no row in the file


def import_municipality_regions(
    source: str | Path | bytes, *, file_name: str = "", by: Any = None
) -> RegionImportResult:
    """Set `Municipality.holiday_region` from the holiday-region file, matched by name.

    The file has no CBS code, so names are normalised (accents, `'s-`, Frisian spellings, two
    Bergens told apart by province). A municipality split over two regions is left alone: the
    DUO region of each school decides there. Names not found here are reported, not guessed;
    so are municipalities without any region in the file, and those known here that the file
    does not name (their region stays as it was).
    """
    rows = importing.parse_region_file(_source_bytes(source))
    counts: dict[str, int] = {}
    for row in rows:
        base = importing.normalise_name(row.name)
        counts[base] = counts.get(base, 0) + 1
    by_name: dict[str, list[Municipality]] = {}
    for municipality in Municipality.objects.all():
        by_name.setdefault(importing.normalise_name(municipality.name), []).append(municipality)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.REGIONS, file_name=_file_name(source, file_name), by=by
        )
        result = RegionImportResult(batch=batch)
        findings: list[ImportFinding] = []
        matched_ids: set[int] = set()
        for row in rows:
            ambiguous = counts[importing.normalise_name(row.name)] > 1
            found = next(
                (
                    by_name[key]
                    for key in importing.name_keys(row, ambiguous)
                    if len(by_name.get(key, [])) == 1
                ),
                None,
            )
            if found is None:
                result.unmatched.append(row.name)
                continue
            municipality = found[0]
            result.matched += 1
            matched_ids.add(municipality.pk)
            result.from_province += row.from_province
            if not row.groups:
                result.no_region.append(row.name)
                findings.append(
                    ImportFinding(
                        batch=batch,
                        severity=ImportFinding.Severity.WARNING,
                        line=row.line,
                        message=f"{row.name}: geen regio in het bestand (Groups leeg, ook bij "
                        "de provincie); de vakantieregio is niet veranderd.",
                    )
                )
                continue
            if len(row.groups) != 1:
                result.split.append(row.name)
                findings.append(
                    ImportFinding(
                        batch=batch,
                        severity=ImportFinding.Severity.INFO,
                        line=row.line,
                        message=f"{row.name} ligt in meer regio's ({','.join(row.groups)}); "
                        "de vakantieregio van DUO per school beslist.",
                    )
                )
                continue
            region = importing.REGION_CODES.get(row.groups[0], "")
            if region and municipality.holiday_region != region:
                municipality.holiday_region = region
                municipality.save(update_fields=["holiday_region"])
                batch.updated += 1
            else:
                batch.unchanged += 1
        findings += [
            ImportFinding(
                batch=batch,
                severity=ImportFinding.Severity.WARNING,
                message=f"Gemeente niet gevonden: {name}",
            )
            for name in result.unmatched
        ]
        result.not_in_file = sorted(
            m.name for group in by_name.values() for m in group if m.pk not in matched_ids
        )
        ImportFinding.objects.bulk_create(findings)
        batch.flagged = len(result.unmatched) + len(result.no_region)
        batch.save()
    return result


# --- Review by the functional administrator --------------------------------------------------


class ChangedMeanwhile(CalendarError):
    """The holiday changed (a new import) between showing the review page and the decision."""


CHANGED_MESSAGE = (
    "De data van deze vakantie zijn veranderd nadat u de pagina opende, bijvoorbeeld door een "
    "nieuw bestand. Uw besluit is niet vastgelegd. Bekijk de data hieronder en besluit opnieuw."
)


def _decide(
    holiday: SchoolHoliday,
    *,
    by: Any,
    decision: str,
    status: str,
    note: str,
    shown: str | None,
    **changes: Any,
) -> SchoolHoliday:
    """Record a decision on what the reviewer saw: a compare-and-set on every shown value.

    `shown` is `SchoolHoliday.review_key` as the review page showed it (None: the holiday as
    passed in). A decided holiday raises StaleState, a changed one ChangedMeanwhile.
    """
    now = timezone.now()
    previous = f"{numeric(holiday.start_on)} t/m {numeric(holiday.end_on)} {holiday.region}"
    if holiday.has_proposal:
        previous += (
            f", nieuw {numeric(holiday.review_start_on)} t/m {numeric(holiday.review_end_on)}"
        )
    with transaction.atomic():
        updated = (
            SchoolHoliday.objects.pending()
            .filter(
                pk=holiday.pk,
                status=holiday.status,
                region=holiday.region,
                start_on=holiday.start_on,
                end_on=holiday.end_on,
                proposed_start_on=holiday.proposed_start_on,
                proposed_end_on=holiday.proposed_end_on,
            )
            .update(
                status=status,
                review_note=note,
                reviewed_by=by,
                reviewed_at=now,
                proposed_start_on=None,
                proposed_end_on=None,
                **changes,
            )
            if shown is None or shown == holiday.review_key
            else 0
        )
        if not updated:
            current = SchoolHoliday.objects.filter(pk=holiday.pk).first()
            if current is None or not current.awaits_review:
                raise StaleState(STALE_MESSAGE)
            raise ChangedMeanwhile(CHANGED_MESSAGE)
        HolidayReview.objects.create(
            holiday_id=holiday.pk, decision=decision, by=by, at=now, note=note, previous=previous
        )
        bump_version()  # an UPDATE sends no signal
    holiday.refresh_from_db()
    return holiday


def approve_holiday(
    holiday: SchoolHoliday, *, by: Any, note: str = "", shown: str | None = None
) -> SchoolHoliday:
    """Use a pending holiday as it is, or the new dates the file proposed for an approved one."""
    start_on, end_on = holiday.review_start_on, holiday.review_end_on
    problem = importing.review_problem(holiday.name, holiday.school_year, start_on, end_on)
    if not holiday.region or problem:
        raise CalendarError(
            "Deze vakantie kan niet zo worden gebruikt: corrigeer eerst de regio of de data."
            + (f" {problem}" if problem else "")
        )
    return _decide(
        holiday,
        by=by,
        decision=HolidayReview.Decision.APPROVE,
        status="approved",
        note=note,
        shown=shown,
        start_on=start_on,
        end_on=end_on,
    )


def correct_holiday(
    holiday: SchoolHoliday,
    *,
    by: Any,
    start_on: dt.date,
    end_on: dt.date,
    region: str,
    note: str,
    shown: str | None = None,
) -> SchoolHoliday:
    """Use a pending holiday with corrected dates (and region), within its school year."""
    problem = importing.review_problem(holiday.name, holiday.school_year, start_on, end_on)
    if problem:
        raise CalendarError(problem)
    if is_blank(note):
        raise CalendarError("Schrijf kort waarom u de data aanpast.")
    return _decide(
        holiday,
        by=by,
        decision=HolidayReview.Decision.CORRECT,
        status="approved",
        note=note,
        shown=shown,
        start_on=start_on,
        end_on=end_on,
        region=region,
        school_year=school_year_of(start_on),
    )


def reject_holiday(
    holiday: SchoolHoliday, *, by: Any, note: str, shown: str | None = None
) -> SchoolHoliday:
    """Never use this holiday for counting; for an approved holiday with new dates from the
    file: do not use the new dates, the approved ones stay."""
    if is_blank(note):
        raise CalendarError("Schrijf kort waarom u deze vakantie afwijst.")
    status = "approved" if holiday.has_proposal else "rejected"
    return _decide(
        holiday,
        by=by,
        decision=HolidayReview.Decision.REJECT,
        status=status,
        note=note,
        shown=shown,
    )


# --- A school's own days off -----------------------------------------------------------------


def add_closure(
    school: School, *, on: dt.date, reason: str, by: Any, today: dt.date | None = None
) -> SchoolClosure:
    """Add a study day or free day for one school: a school day from today on, not in the
    region's approved school holidays."""
    if is_blank(reason):
        raise CalendarError("Vul een reden in, bijvoorbeeld 'Studiedag'.")
    if on.weekday() >= 5:
        raise CalendarError("Die dag valt in het weekend; dan is de school al dicht.")
    today = today or timezone.localdate()
    if on < today:
        # A past day is listed under "Geweest" without a way to take it away again.
        raise CalendarError("Die dag is al voorbij. Kies vandaag of een dag die nog komt.")
    if on > today + dt.timedelta(days=CLOSURE_DAYS_AHEAD):
        last = today + dt.timedelta(days=CLOSURE_DAYS_AHEAD)
        raise CalendarError(
            f"Die dag ligt te ver vooruit. Kies een dag tot en met {numeric(last)}: studiedagen "
            "staan in de jaarplanning van dit en volgend schooljaar."
        )
    holiday = (
        SchoolHoliday.objects.approved()
        .for_region(school.effective_holiday_region)
        .filter(start_on__lte=on, end_on__gte=on)
        .order_by("start_on")
        .first()
    )
    if holiday is not None:
        raise CalendarError(f"Op {numeric(on)} is het al {holiday.name.lower()}.")
    try:
        with transaction.atomic():
            return SchoolClosure.objects.create(
                school=school, date=on, reason=reason.strip(), created_by=by
            )
    except IntegrityError as exc:
        raise CalendarError("Op die dag staat al een studiedag of vrije dag.") from exc


def remove_closure(closure: SchoolClosure, *, by: Any) -> None:
    """Take a study day or free day away again."""
    with transaction.atomic():
        closure.delete()
