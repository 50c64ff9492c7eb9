"""Every write to cases: register, timeline, status moves, coordinator, documents, contacts,
anonymous consultations. One transaction each; the timeline row is written inside it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from schoolzorg.accounts.notifications import notify
from schoolzorg.cases.models import (
    AnonymousConsultation,
    Case,
    CaseDocument,
    CaseEvent,
    Category,
    EventKind,
    SocialWorkContact,
    Urgency,
)
from schoolzorg.cases.workflow import AUTOMATIC_STATUSES, OPEN_STATUSES, CaseStatus, can_move
from schoolzorg.lib import formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import is_blank


class CaseError(Exception):
    """A refused action, with a message in plain Dutch for the person who tried it."""


class StaleState(CaseError):
    """Someone else changed the case first; the screen the user acted on is out of date."""


STALE_MESSAGE = (
    "Iemand anders heeft deze casus net gewijzigd. Bekijk de nieuwe stand en probeer het opnieuw."
)


def _stale_coordinator(coordinator_id: int | None) -> str:
    """Say that a colleague named another coordinator meanwhile, and who it is now."""
    from schoolzorg.accounts.models import User

    now = User.objects.filter(pk=coordinator_id).first() if coordinator_id else None
    who = f"Nu is {now} de regisseur." if now is not None else "Nu is er geen regisseur."
    return (
        f"Iemand anders heeft de regisseur net gewijzigd. {who} Uw keuze is niet opgeslagen. "
        "Wilt u toch uw keuze? Klik dan nog een keer op 'Regisseur opslaan'."
    )


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


@transaction.atomic
def register_concern(
    pupil: Any,
    *,
    category: str,
    description: str,
    by: Any,
    raised_by_label: str = "",
    urgency: str = Urgency.NORMAL,
    coordinator: Any = None,
    school: Any = None,
    from_consultation: AnonymousConsultation | None = None,
    form_token: uuid.UUID | None = None,
) -> Case:
    """Open a case about a pupil at their current school and start its timeline."""
    school_id = school.pk if school is not None else pupil.current_school_id
    if school_id is None:
        raise CaseError("Deze leerling staat niet ingeschreven op een school.")
    if category not in Category.values:
        raise CaseError("Kies een onderwerp uit de lijst.")
    if urgency not in Urgency.values:
        raise CaseError("Kies hoe snel er iets moet gebeuren.")
    if is_blank(description):
        raise CaseError("Beschrijf kort wat er aan de hand is.")
    case = Case.objects.create(
        pupil=pupil,
        school_id=school_id,
        category=category,
        description=description.strip(),
        raised_by=by,
        raised_by_label=raised_by_label.strip(),
        urgency=urgency,
        coordinator=coordinator,
        from_consultation=from_consultation,
        form_token=form_token,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.STATUS,
        text=f"Zorg gemeld: {case.get_category_display()}. "
        f"Hoe snel: {case.get_urgency_display().lower()}.",
        by=by,
    )
    if coordinator is not None:
        CaseEvent.objects.create(
            case=case, kind=EventKind.STATUS, text=f"{coordinator} is regisseur.", by=by
        )
    _notify_school_team(case, by=by)
    return case


def _notify_school_team(case: Case, *, by: Any) -> None:
    """Tell the school's support coordinators that a concern came in (no child data in the text)."""
    from schoolzorg.accounts.models import Membership, User
    from schoolzorg.accounts.roles import Role

    # Only whose role at the school holds today: not a former IB-er (tester T12).
    coordinators = (
        Membership.objects.active()
        .with_role(Role.SUPPORT_COORDINATOR)
        .filter(organisation_id=case.school_id)
    )
    recipients = User.objects.filter(pk__in=coordinators.values("user_id"), is_active=True).exclude(
        pk=by.pk
    )
    if case.coordinator_id and case.coordinator_id != by.pk:
        recipients = recipients | User.objects.filter(pk=case.coordinator_id)
    notify(
        recipients.distinct(),
        # The school and the case's number tell two reports apart (someone can work at two
        # schools), without naming the child.
        text=f"Er is een nieuwe zorgmelding op {case.school.name} (casus {case.pk}).",
        url=_case_url(case),
        email=case.urgency == Urgency.URGENT,
    )


@transaction.atomic
def add_case_event(
    case: Case,
    *,
    kind: str,
    text: str,
    by: Any,
    url: str = "",
    at: dt.datetime | None = None,
    document: CaseDocument | None = None,
    form_token: uuid.UUID | None = None,
) -> CaseEvent:
    """Append one line to the case timeline (notes, meeting decisions, plan changes, ...).

    The note form's `form_token`: the same form sent again returns the line of the first send.
    """
    same = {"case_id": case.pk, "by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(CaseEvent, form_token, error=CaseError, **same)
    if first is not None:
        return first
    if kind not in EventKind.values:
        raise CaseError("Onbekend soort gebeurtenis.")
    if is_blank(text):
        raise CaseError("Schrijf iets op voordat u opslaat.")
    event, _new = formtokens.create_once(
        CaseEvent,
        form_token,
        error=CaseError,
        same=same,
        case=case,
        kind=kind,
        text=text.strip(),
        by=by,
        url=url,
        at=at or timezone.now(),
        document=document,
    )
    return event


@transaction.atomic
def change_case_status(
    case: Case,
    *,
    to: str,
    by: Any,
    expected: str | None = None,
    outcome: str = "",
    outcome_note: str = "",
    social_worker: Any = None,
    note: str = "",
    automatic: bool = False,
) -> Case:
    """Move a case to another status with a compare-and-set on the status the user saw.

    `expected` is the status on the user's screen (defaults to the status in `case`). Closing needs
    an outcome; moving to school social work names the social worker who carries the case. Only
    the system (`automatic`) moves a case to a status in AUTOMATIC_STATUSES.
    """
    from schoolzorg.cases.models import Outcome

    current = expected if expected is not None else case.status
    if to in AUTOMATIC_STATUSES and not automatic:
        raise CaseError(
            "Een casus krijgt de status 'Toegeleid naar het wijkteam' vanzelf zodra de "
            "toeleiding naar het wijkteam is verstuurd."
        )
    if not can_move(current, to):
        raise CaseError(
            f"Een casus met status '{CaseStatus(current).label}' kan niet naar "
            f"'{CaseStatus(to).label if to in CaseStatus.values else to}'."
        )
    fields: dict[str, Any] = {"status": to}
    if to == CaseStatus.CLOSED:
        if outcome not in Outcome.values:
            raise CaseError("Kies de uitkomst voordat u de casus afsluit.")
        fields.update(outcome=outcome, outcome_note=outcome_note.strip(), closed_at=timezone.now())
    elif current == CaseStatus.CLOSED:
        fields.update(outcome="", outcome_note="", closed_at=None)
    if to == CaseStatus.WITH_SCHOOL_SOCIAL_WORK:
        worker = social_worker or _default_social_worker(case, by)
        if worker is None:
            raise CaseError("Kies de schoolmaatschappelijk werker die de casus oppakt.")
        fields["social_worker"] = worker
    updated = Case.objects.filter(pk=case.pk, status=current).update(**fields)
    if updated == 0:
        raise StaleState(STALE_MESSAGE)
    case.refresh_from_db()
    text = f"Status: {case.get_status_display()}."
    if to == CaseStatus.CLOSED:
        text += f" Uitkomst: {case.get_outcome_display()}."
        if case.outcome_note:
            text += f" {case.outcome_note}"
    if to == CaseStatus.WITH_SCHOOL_SOCIAL_WORK and case.social_worker is not None:
        text += f" Schoolmaatschappelijk werker: {case.social_worker}."
    if not is_blank(note):
        text += f" {note.strip()}"
    kind = EventKind.REFERRAL if to == CaseStatus.REFERRED else EventKind.STATUS
    CaseEvent.objects.create(case=case, kind=kind, text=text, by=by)
    if to == CaseStatus.WITH_SCHOOL_SOCIAL_WORK and case.social_worker_id != getattr(
        by, "pk", None
    ):
        notify(
            [case.social_worker],  # type: ignore[list-item]
            text=f"Casus {case.pk} van {case.school.name} is aan u overgedragen.",
            url=_case_url(case),
            email=False,
        )
    return case


def _default_social_worker(case: Case, by: Any) -> Any:
    """The person moving the case if they are its school's SMW, else the school's only SMW."""
    from schoolzorg.accounts.models import Membership, User
    from schoolzorg.accounts.roles import Role
    from schoolzorg.cases.policies import is_school_social_worker_at

    if by is not None and is_school_social_worker_at(by, case.school_id):
        return by
    if case.social_worker_id:
        return case.social_worker
    serving = (
        Membership.objects.active()
        .with_role(Role.SCHOOL_SOCIAL_WORKER)
        .filter(school_id=case.school_id)
    )
    candidates = list(
        User.objects.filter(pk__in=serving.values("user_id"), is_active=True).order_by("pk")[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


@transaction.atomic
def name_coordinator(case: Case, *, coordinator: Any, by: Any, expected: int | None) -> Case:
    """Name the coordinator (regisseur): the one person who keeps the threads together.

    `expected` is the coordinator the user's screen showed (None: nobody yet), for a
    compare-and-set: a colleague's choice made meanwhile is not overwritten without a word.
    Naming the person who is coordinator already changes nothing (the same form sent twice, or
    a colleague who made the same choice first).
    """
    if not case.is_open:
        raise CaseError("Een afgesloten casus krijgt geen nieuwe regisseur.")
    if coordinator is None or not coordinator.is_active:
        raise CaseError("Kies een actieve medewerker als regisseur.")
    updated = (
        Case.objects.filter(pk=case.pk, status__in=OPEN_STATUSES, coordinator_id=expected)
        .exclude(coordinator_id=coordinator.pk)
        .update(coordinator=coordinator)
    )
    if updated == 0:
        now = Case.objects.filter(pk=case.pk).values("status", "coordinator_id").first()
        if now is None or now["status"] not in OPEN_STATUSES:
            raise StaleState(STALE_MESSAGE)
        if now["coordinator_id"] != coordinator.pk:
            raise StaleState(_stale_coordinator(now["coordinator_id"]))
        case.coordinator = coordinator
        return case
    case.coordinator = coordinator
    CaseEvent.objects.create(
        case=case, kind=EventKind.STATUS, text=f"{coordinator} is regisseur.", by=by
    )
    if coordinator.pk != getattr(by, "pk", None):
        notify(
            [coordinator],
            text=f"U bent regisseur geworden van casus {case.pk} van {case.school.name}.",
            url=_case_url(case),
            email=False,
        )
    return case


# --- Documents -----------------------------------------------------------------------------

# Allowed file types, recognised by their first bytes; the extension alone proves nothing.
ALLOWED_TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "jpg": ("image/jpeg", (".jpg", ".jpeg")),
    "png": ("image/png", (".png",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (".docx",),
    ),
}
ALLOWED_LABEL = "PDF, JPG, PNG of Word (.docx)"


def sniff_type(head: bytes, *, name: str = "", opener: Any = None) -> str | None:
    """Recognise an allowed type from the file's first bytes; None when not allowed.

    A .docx is a ZIP with `word/document.xml` inside; `opener` gives the whole file for that check.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and opener is not None:
        import zipfile

        try:
            with zipfile.ZipFile(opener()) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def check_upload(upload: UploadedFile[bytes], *, max_bytes: int) -> tuple[str, str]:
    """Return (kind, content type) for an acceptable upload, or raise CaseError in plain Dutch."""
    if upload.size is None or upload.size == 0:
        raise CaseError("Het bestand is leeg. Kies een ander bestand.")
    if upload.size > max_bytes:
        size_mb = f"{upload.size / (1024 * 1024):.1f}".replace(".", ",")
        raise CaseError(
            f"Het bestand is te groot ({size_mb} MB). "
            f"Het mag hoogstens {max_bytes / (1024 * 1024):.0f} MB zijn."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)

    def opener() -> Any:
        upload.seek(0)
        return upload.file

    kind = sniff_type(head, name=upload.name or "", opener=opener)
    upload.seek(0)
    if kind is None:
        raise CaseError(
            f"Dit soort bestand kan niet worden toegevoegd. Toegestaan zijn: {ALLOWED_LABEL}."
        )
    content_type, extensions = ALLOWED_TYPES[kind]
    if not (upload.name or "").lower().endswith(extensions):
        raise CaseError(
            "De naam van het bestand past niet bij de inhoud "
            f"(het is een {kind.upper()}-bestand). Geef het bestand de juiste extensie."
        )
    return kind, content_type


@transaction.atomic
def add_document(
    case: Case,
    *,
    upload: UploadedFile[bytes],
    by: Any,
    description: str = "",
    max_bytes: int,
    form_token: uuid.UUID | None = None,
) -> CaseDocument:
    """Store an uploaded file on the case after checking its type and size.

    The upload form's `form_token`: the same form sent again returns the document of the first
    send, and the file sent again is not stored (or, when both sends raced, deleted again)."""
    same = {"case_id": case.pk, "uploaded_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(CaseDocument, form_token, error=CaseError, **same)
    if first is not None:
        return first
    # A file written before a rollback stays behind unreferenced; the daily sweep
    # `lib.uploads.sweep_orphan_uploads` deletes it. Writing inside the transaction keeps the row
    # and the timeline line together.
    _, content_type = check_upload(upload, max_bytes=max_bytes)
    original = (upload.name or "document").replace("/", "_").replace("\\", "_")[-200:]
    stored = CaseDocument(case=case)
    # Stored under a random name: the original name may itself carry a child's name.
    import secrets

    suffix = next(exts[0] for ctype, exts in ALLOWED_TYPES.values() if ctype == content_type)
    stored.file.save(f"{secrets.token_hex(16)}{suffix}", upload, save=False)
    document, new = formtokens.create_once(
        CaseDocument,
        form_token,
        error=CaseError,
        same=same,
        case=case,
        file=stored.file.name,
        original_name=original,
        content_type=content_type,
        size=upload.size or 0,
        description=description.strip(),
        uploaded_by=by,
    )
    if not new:  # the same form won the race meanwhile: this send's copy is not kept
        stored.file.delete(save=False)
        return document

    CaseEvent.objects.create(
        case=case,
        kind=EventKind.DOCUMENT,
        text=f"Document toegevoegd: {original}"
        + (f" ({document.description})" if document.description else ""),
        by=by,
        document=document,
    )
    return document


def register_concern_once(
    pupil: Any, *, form_token: uuid.UUID, by: Any, **fields: Any
) -> tuple[Case, bool]:
    """The concern form sent once: returns the case and whether it is new.

    The same form sent twice (a double click, a resend after a network error, the back button)
    finds the case of the first time instead of opening a second one about the same worry.
    """
    existing = Case.objects.filter(form_token=form_token).first()
    if existing is None:
        try:
            with transaction.atomic():
                return register_concern(pupil, by=by, form_token=form_token, **fields), True
        except IntegrityError:  # the other click won the race
            existing = Case.objects.get(form_token=form_token)
    if existing.pupil_id != pupil.pk or existing.raised_by_id != by.pk:
        raise CaseError(
            "Dit formulier is al eens verstuurd. Open het opnieuw en probeer het nog eens."
        )
    return existing, False


# --- School social work -------------------------------------------------------------------


# How far back a contact may still be registered: the registration feeds the monthly figures.
CONTACT_LOOKBACK_DAYS = 366


def contact_line_at(contact_on: dt.date) -> dt.datetime:
    """When a contact's line stands on its case's timeline: noon of the contact's day. Retention
    finds the line by it (with case, kind and worker) to destroy it with the contact."""
    return timezone.make_aware(dt.datetime.combine(contact_on, dt.time(12, 0)))


@transaction.atomic
def record_contact(
    *,
    worker: Any,
    school: Any,
    provider: Any,
    contact_on: dt.date,
    form: str,
    with_whom: str,
    minutes: int,
    case: Case | None = None,
    note: str = "",
    form_token: uuid.UUID | None = None,
) -> SocialWorkContact:
    """Register one school social work contact and, when it belongs to a case, its timeline line.

    The contact form's `form_token`: the same form sent again returns the contact of the first
    send, so its minutes are counted once.
    """
    from schoolzorg.cases.models import ContactForm

    same = {"worker_id": worker.pk, "case_id": case.pk if case is not None else None}
    first = formtokens.sent_before(SocialWorkContact, form_token, error=CaseError, **same)
    if first is not None:
        return first
    if form not in ContactForm.values:
        raise CaseError("Kies het soort contact.")
    if not 1 <= minutes <= 600:
        raise CaseError("Vul de duur in minuten in (1 tot 600).")
    today = timezone.localdate()
    if contact_on > today:
        raise CaseError("Een contact kan niet in de toekomst liggen.")
    if contact_on < today - dt.timedelta(days=CONTACT_LOOKBACK_DAYS):
        raise CaseError("Een contact van meer dan een jaar geleden kunt u niet meer registreren.")
    if case is not None and contact_on < timezone.localdate(case.opened_at):
        raise CaseError(
            "Een contact in een casus kan niet vóór de melding liggen "
            f"({numeric(timezone.localdate(case.opened_at))})."
        )
    contact, new = formtokens.create_once(
        SocialWorkContact,
        form_token,
        error=CaseError,
        same=same,
        case=case,
        school=school,
        worker=worker,
        provider=provider,
        contact_on=contact_on,
        form=form,
        with_whom=with_whom.strip(),
        minutes=minutes,
        note=note.strip(),
    )
    if case is not None and new:
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.CONTACT,
            at=contact_line_at(contact_on),
            text=f"{contact.get_form_display()} ({contact.with_whom}; {minutes} min)."
            + (f" {contact.note}" if contact.note else ""),
            by=worker,
        )
    return contact


# --- Anonymous consultations --------------------------------------------------------------


@transaction.atomic
def record_consultation(
    *,
    school: Any,
    category: str,
    summary: str,
    held_on: dt.date,
    participants: str,
    by: Any,
    advice: str = "",
    form_token: uuid.UUID | None = None,
) -> AnonymousConsultation:
    """Record a situation discussed without naming the child.

    The form's `form_token`: the same form sent again returns the consultation of the first
    send, so the month's count (the figures) counts it once.
    """
    same = {"school_id": school.pk, "recorded_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(AnonymousConsultation, form_token, error=CaseError, **same)
    if first is not None:
        return first
    if category not in Category.values:
        raise CaseError("Kies een onderwerp uit de lijst.")
    consultation, _new = formtokens.create_once(
        AnonymousConsultation,
        form_token,
        error=CaseError,
        same=same,
        school=school,
        category=category,
        summary=summary.strip(),
        held_on=held_on,
        participants=participants.strip(),
        advice=advice.strip(),
        recorded_by=by,
    )
    return consultation


@transaction.atomic
def convert_consultation(
    consultation: AnonymousConsultation, *, pupil: Any, by: Any, urgency: str = Urgency.NORMAL
) -> Case:
    """Turn an anonymous consultation into a named case, once consent to discuss is recorded."""
    from schoolzorg.consent.models import Consent, Purpose

    locked = AnonymousConsultation.objects.select_for_update().get(pk=consultation.pk)
    if Case.objects.filter(from_consultation=locked).exists():
        raise StaleState("Dit consult is al omgezet in een casus.")
    if pupil.current_school_id != locked.school_id:
        raise CaseError("Deze leerling zit niet op de school van het consult.")
    if not Consent.objects.valid_for(pupil, Purpose.DISCUSS_IN_CARE_TEAM, None).exists():
        raise CaseError(
            "Er is nog geen geldige toestemming om deze leerling in het schoolzorgteam te "
            "bespreken. Leg eerst de toestemming vast; daarna kunt u het consult omzetten."
        )
    case = register_concern(
        pupil,
        category=locked.category,
        description=locked.summary,
        by=by,
        urgency=urgency,
        from_consultation=locked,
    )
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.NOTE,
        text=f"Ontstaan uit een anoniem consult van {numeric(locked.held_on)}."
        + (f" Advies toen: {locked.advice}" if locked.advice else ""),
        by=by,
    )
    return case


def open_statuses() -> frozenset[str]:
    return OPEN_STATUSES
