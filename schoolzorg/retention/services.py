"""Every write of retention: the daily destruction of what is past its period, and requests
for early destruction (record, refuse, carry out)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from schoolzorg.lib.validators import is_blank
from schoolzorg.organisations.models import Organisation
from schoolzorg.pupils.models import Pupil
from schoolzorg.retention import files
from schoolzorg.retention.models import (
    DestructionRecord,
    DestructionRequest,
    Reason,
    Requester,
    RequestState,
    basis_label,
)
from schoolzorg.retention.periods import rule_for

BATCH = 200
# From 12 a pupil may ask; from 16 the pupil decides alone (as for consent).
MIN_AGE_TO_ASK = 12
AGE_OF_OWN_DECISION = 16


class RequestRefused(Exception):
    """A request that cannot be recorded or decided; the message is Dutch, for the user."""


class AlreadyOpen(RequestRefused):
    """A request for this file is still open: decide that one first."""

    def __init__(self, open_request: DestructionRequest) -> None:
        super().__init__(
            "Voor dit dossier ligt al een verzoek tot vernietiging waarover nog niet is besloten. "
            "Besluit eerst over dat verzoek."
        )
        self.open_request = open_request


@dataclass(frozen=True)
class Due:
    """What is due on a day, in counts only: files per kind and records in them."""

    pupils: int
    files: dict[str, int]
    records: int


def destroy_due_for_pupil(pupil_id: int, today: dt.date, now: dt.datetime | None = None) -> int:
    """Destroy every file of the pupil that is past its period; return the register lines
    written. One transaction with the pupil's row locked: a second sweep at the same moment
    waits or skips, and then finds nothing due."""
    with transaction.atomic():
        pupil = files.lock_pupil(pupil_id)
        if pupil is None:
            return 0
        found = files.read_file(pupil)
        due = {pk for pk, h in found.holdings.items() if h.is_due(today)}
        if not due:
            return 0
        outcome = files.destroy(found, due, reason=Reason.EXPIRED, now=now)
        return len(outcome.records)


def destroy_expired(today: dt.date | None = None, *, batch: int = BATCH) -> int:
    """Destroy every file past its period, pupil by pupil, in pages of `batch` pupils."""
    today = today or timezone.localdate()
    written, after = 0, 0
    while True:
        ids = list(
            files.candidates(today)
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return written
        for pupil_id in ids:
            written += destroy_due_for_pupil(pupil_id, today)
        after = ids[-1]


def due_overview(today: dt.date | None = None) -> Due:
    """What the sweep would destroy today, without destroying: counts, no names."""
    today = today or timezone.localdate()
    pupils, records = 0, 0
    per_kind: dict[str, int] = {}
    for pupil in files.candidates(today).order_by("pk").iterator(chunk_size=BATCH):
        found = files.read_file(pupil)
        due = [h for h in found.holdings.values() if h.is_due(today)]
        if not due:
            continue
        pupils += 1
        due_ids = {h.organisation_id for h in due}
        for h in due:
            per_kind[h.rule.kind] = per_kind.get(h.rule.kind, 0) + 1
        records += sum(1 for r in found.roots if r.holders <= due_ids)
    return Due(pupils=pupils, files=per_kind, records=records)


# --- Requests for early destruction -----------------------------------------------------------


def check_requester(pupil: Pupil, requester: str, on: dt.date) -> None:
    """Who may ask, by age on the day the request came in: the parents with authority until
    16, the pupil from 12."""
    age = pupil.age_on(on)
    if requester == Requester.PUPIL and age < MIN_AGE_TO_ASK:
        raise RequestRefused(
            f"De leerling was {age} jaar op de dag van het verzoek. Een leerling kan dit zelf "
            "vragen vanaf 12 jaar; voor een jonger kind vragen de ouders met gezag het."
        )
    if requester == Requester.GUARDIAN and age >= AGE_OF_OWN_DECISION:
        raise RequestRefused(
            f"De leerling was {age} jaar op de dag van het verzoek. Vanaf 16 jaar beslist de "
            "leerling zelf: leg het verzoek van de leerling vast."
        )


def record_request(
    pupil: Pupil,
    organisation: Organisation,
    *,
    requester: str,
    received_on: dt.date,
    note: str,
    by: Any,
    form_token: uuid.UUID,
) -> DestructionRequest:
    """Record a request to destroy the organisation's file about the pupil. A second send of
    the same form returns the first request; a new request while another for the same file is
    open is refused (`AlreadyOpen`, with that request)."""
    rule = rule_for(organisation.kind)
    if rule is None:
        raise RequestRefused("Deze organisatie houdt in Schoolzorg geen eigen dossier bij.")
    if received_on > timezone.localdate():
        raise RequestRefused("De datum van het verzoek ligt in de toekomst.")
    if received_on < pupil.date_of_birth:
        raise RequestRefused("De datum van het verzoek ligt voor de geboortedatum van de leerling.")
    check_requester(pupil, requester, received_on)
    with transaction.atomic():
        existing = DestructionRequest.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing
        # The pupil's row, locked: two requests recorded at the same moment wait for each
        # other, so the second finds the first open (SQLite serialises writers anyway).
        Pupil.objects.select_for_update().filter(pk=pupil.pk).values_list("pk").first()
        found = DestructionRequest.objects.filter(
            pupil=pupil, organisation=organisation, state=RequestState.OPEN
        ).first()
        if found is not None:
            raise AlreadyOpen(found)
        return DestructionRequest.objects.create(
            pupil=pupil,
            organisation=organisation,
            kind=rule.kind,
            requester=requester,
            received_on=received_on,
            note=note.strip(),
            recorded_by=by,
            form_token=form_token,
        )


def _take_open(request_id: int, **updates: Any) -> DestructionRequest:
    """Move an open request on (compare-and-set); a request decided meanwhile is refused."""
    moved = DestructionRequest.objects.filter(pk=request_id, state=RequestState.OPEN).update(
        decided_on=timezone.localdate(), **updates
    )
    if not moved:
        raise RequestRefused("Over dit verzoek is al besloten. Vernieuw de pagina.")
    return DestructionRequest.objects.get(pk=request_id)


def refuse_request(request: DestructionRequest, *, reason: str, by: Any) -> DestructionRequest:
    """Refuse with a reason: for a youth-care file e.g. it is of substantial interest to
    someone else (Jeugdwet, artikel 7.3.9, tweede lid); for a school file one of the grounds of
    AVG, artikel 17, derde lid (a legal duty to keep it, a legal claim). The file stays; the
    refusal is kept with it."""
    if is_blank(reason):
        raise RequestRefused("Schrijf op waarom het verzoek wordt geweigerd.")
    with transaction.atomic():
        return _take_open(
            request.pk, state=RequestState.REFUSED, refusal_reason=reason.strip(), decided_by=by
        )


def carry_out_request(request: DestructionRequest, *, by: Any) -> list[DestructionRecord]:
    """Destroy the organisation's file about the pupil now, and unlink the request."""
    with transaction.atomic():
        pupil = files.lock_pupil(request.pupil_id) if request.pupil_id else None
        if pupil is None:
            raise RequestRefused("Over dit verzoek is al besloten. Vernieuw de pagina.")
        decided = _take_open(request.pk, state=RequestState.CARRIED_OUT, decided_by=by)
        found = files.read_file(pupil)
        outcome = files.destroy(
            found,
            {request.organisation_id},
            reason=Reason.REQUEST,
            by=by,
            basis=basis_label(decided.kind, decided.requester),
            request=decided,
        )
        if not any(r.request_id == decided.pk for r in outcome.records):
            outcome.records.append(
                DestructionRecord.objects.create(
                    at=timezone.now(),
                    organisation_id=decided.organisation_id,
                    organisation_label=request.organisation.name,
                    kind=decided.kind,
                    reason=Reason.REQUEST,
                    records=0,
                    by=by,
                    basis=basis_label(decided.kind, decided.requester),
                    request=decided,
                )
            )
        DestructionRequest.objects.filter(pk=decided.pk).update(pupil=None)
        return outcome.records
