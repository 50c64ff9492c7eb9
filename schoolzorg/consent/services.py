"""Every write to the consent ledger: record, withdraw, record a legal basis. One transaction each."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from schoolzorg.audit.models import Action
from schoolzorg.audit.services import Basis, record_access
from schoolzorg.consent.models import (
    SHARING_PURPOSES,
    Consent,
    LegalBasis,
    refused_basis,
    refused_recipient,
)
from schoolzorg.consent.rules import required_parties
from schoolzorg.lib import formtokens
from schoolzorg.lib.dates import numeric
from schoolzorg.lib.validators import is_blank
from schoolzorg.pupils.access import personal_basis

# Apps above consent act when consents are withdrawn (ADR 0002): a hook registered in their
# `ready()` gets the consents withdrawn and who withdrew them once the withdrawal has committed.
# It runs robust: a hook that fails is logged and never undoes the withdrawal.
_WITHDRAWN_HOOKS: list[Callable[[list[Consent], Any], None]] = []


def on_withdrawn(hook: Callable[[list[Consent], Any], None]) -> None:
    """Register a hook that runs after every withdrawal (once, however often registered)."""
    if hook not in _WITHDRAWN_HOOKS:
        _WITHDRAWN_HOOKS.append(hook)


class ConsentError(ValueError):
    """A consent write that cannot be done; the message is plain Dutch for the user."""


def _basis(by: Any, school_id: int | None) -> Basis:
    """The ledger entry names the role and organisation the consent was recorded in: the
    recorder's membership at (or serving) the pupil's school, else their first membership."""
    ref = str(getattr(by, "pk", ""))
    found = personal_basis(by, "consent_ledger", ref, school_id=school_id) if by else None
    return found or Basis("consent_ledger", "", None, "", ref)


NOT_A_CONSENT_PURPOSE = (
    "Toestemming wordt alleen vastgelegd om gegevens te delen binnen Schoolzorg. "
    "Kies een doel uit de lijst."
)
REASON_MIN = 20
REASON_TOO_SHORT = f"Onderbouw de grondslag in ten minste een paar zinnen ({REASON_MIN} tekens)."
BASIS_NEEDS_END = (
    "Vul in tot en met wanneer de grondslag geldt. Delen zonder toestemming duurt niet "
    "onbeperkt: weeg daarna opnieuw af, en leg zo nodig een nieuwe grondslag vast."
)


@transaction.atomic
def record_consent(
    pupil: Any,
    *,
    purpose: str,
    given_on: dt.date,
    by: Any,
    recipient: Any = None,
    data_scope: str = "",
    guardians: Iterable[Any] = (),
    given_by_pupil: bool = False,
    valid_until: dt.date | None = None,
    evidence_note: str = "",
    evidence_file: Any = None,
    form_token: uuid.UUID | None = None,
) -> Consent:
    """Record who agreed; the consent is complete only when every party required by age agreed.

    Refused for a purpose that is no sharing inside Schoolzorg (the report to Veilig Thuis
    needs no consent recorded here) and for a receiving organisation that cannot receive under
    the purpose (`models.refused_recipient`: the municipality, say).
    """
    guardians = list(guardians)
    if purpose not in SHARING_PURPOSES:
        raise ConsentError(NOT_A_CONSENT_PURPOSE)
    if refused := refused_recipient(purpose, recipient):
        raise ConsentError(refused)
    authority = set(
        pupil.guardian_links.filter(has_authority=True).values_list("guardian_id", flat=True)
    )
    strangers = [g for g in guardians if g.pk not in authority]
    if strangers:
        raise ConsentError("Alleen ouders met gezag over deze leerling kunnen toestemming geven.")
    if valid_until is not None and valid_until < given_on:
        raise ConsentError("'Geldig tot en met' ligt vóór de datum van de toestemming.")
    if given_on > timezone.localdate():
        raise ConsentError("De toestemming kan niet in de toekomst gegeven zijn.")
    if given_on < pupil.date_of_birth:
        raise ConsentError("De toestemming kan niet vóór de geboorte van de leerling gegeven zijn.")
    parties = required_parties(pupil, given_on)
    consent = Consent(
        pupil=pupil,
        purpose=purpose,
        recipient=recipient,
        data_scope=data_scope,
        given_by_pupil=given_by_pupil,
        given_on=given_on,
        valid_until=valid_until,
        evidence_note=evidence_note,
        recorded_by=by,
        form_token=form_token,
        is_complete=parties.is_complete(
            pupil_agreed=given_by_pupil, guardian_ids=[g.pk for g in guardians]
        ),
    )
    if evidence_file is not None:
        consent.evidence_file.save(evidence_file.name or "formulier", evidence_file, save=False)
    consent.save()
    consent.given_by_guardians.set(guardians)
    record_access(
        None,
        user=by,
        action=Action.CREATE,
        pupil_id=pupil.pk,
        basis=_basis(by, pupil.current_school_id),
        obj=consent,
        detail="toestemming vastgelegd",
    )
    return consent


def record_consent_once(
    pupil: Any, *, form_token: uuid.UUID, by: Any, **fields: Any
) -> tuple[Consent, bool]:
    """The consent form sent once: returns the consent and whether it is new.

    The same form sent twice (a double click, a resend after a network error, the back button)
    finds the consent of the first time instead of recording a second, identical one.
    """
    existing = Consent.objects.filter(form_token=form_token).first()
    if existing is None:
        try:
            with transaction.atomic():
                consent = record_consent(pupil, form_token=form_token, by=by, **fields)
                return consent, True
        except IntegrityError:  # the other send won the race
            existing = Consent.objects.get(form_token=form_token)
    if existing.pupil_id != pupil.pk or existing.recorded_by_id != by.pk:
        raise ConsentError(
            "Dit formulier is al eens verstuurd. Open het opnieuw en probeer het nog eens."
        )
    return existing, False


@transaction.atomic
def complete_consent(
    consent: Consent,
    *,
    by: Any,
    on: dt.date,
    guardians: Iterable[Any] = (),
    given_by_pupil: bool = False,
) -> Consent:
    """Add the agreement of a party that was missing ("aanvullen").

    An incomplete consent is given on the day the last party agreed: `given_on` moves to `on`,
    and who must agree is worked out again for the pupil's age on that day. The first date
    stays in the evidence note.

    A complete consent that is no longer enough because the pupil turned 12 or 16 is mended by
    the pupil's own agreement: `given_on` stays (the consent was in force until the birthday),
    and `pupil_agreed_on` records from when it is enough again.

    Refused for a consent that is complete and enough, withdrawn or expired, for nobody added,
    for a guardian without authority, and for a day before the consent or in the future.
    """
    guardians = list(guardians)
    if not guardians and not given_by_pupil:
        raise ConsentError("Vink aan wie nu toestemming gaf: een ouder met gezag of de leerling.")
    if on > timezone.localdate():
        raise ConsentError("De datum kan niet in de toekomst liggen.")
    locked = (
        Consent.objects.select_for_update().filter(pk=consent.pk).select_related("pupil").first()
    )
    if locked is None:
        raise ConsentError("Deze toestemming bestaat niet meer.")
    if on < locked.given_on:
        raise ConsentError("De datum ligt vóór de datum waarop de toestemming is gegeven.")
    status = locked.status_on(on)
    if locked.withdrawn_on is not None or status in ("ingetrokken", "verlopen"):
        raise ConsentError(
            "Deze toestemming is ingetrokken of verlopen. Leg een nieuwe toestemming vast."
        )
    pupil = locked.pupil
    grown_up = locked.is_complete and locked.needs_pupil_on(timezone.localdate())
    if locked.is_complete and not grown_up:
        raise ConsentError("Deze toestemming is al compleet.")
    authority = set(
        pupil.guardian_links.filter(has_authority=True).values_list("guardian_id", flat=True)
    )
    if any(g.pk not in authority for g in guardians):
        raise ConsentError("Alleen ouders met gezag over deze leerling kunnen toestemming geven.")
    added = [g.full_name for g in guardians] + (["de leerling"] if given_by_pupil else [])
    if grown_up:
        if not given_by_pupil:
            raise ConsentError(
                f"{locked.shortfall} Vink aan dat {pupil.first_name} toestemming gaf; "
                "dan is deze toestemming weer genoeg."
            )
        locked.given_by_pupil = True
        locked.pupil_agreed_on = on
        line = f"Aangevuld op {numeric(on)}: {', '.join(added)} gaf toestemming."
        fields = ["given_by_pupil", "pupil_agreed_on", "evidence_note"]
    else:
        given_ids = set(locked.given_by_guardians.values_list("pk", flat=True))
        given_ids |= {g.pk for g in guardians}
        locked.given_by_pupil = locked.given_by_pupil or given_by_pupil
        first = locked.given_on
        locked.given_on = on
        locked.is_complete = required_parties(pupil, on).is_complete(
            pupil_agreed=locked.given_by_pupil, guardian_ids=given_ids
        )
        line = (
            f"Aangevuld op {numeric(on)}: {', '.join(added)} gaf toestemming "
            f"(eerder gegeven op {numeric(first)})."
        )
        fields = ["given_by_pupil", "given_on", "is_complete", "evidence_note"]
    locked.evidence_note = f"{locked.evidence_note}\n{line}".strip()
    locked.save(update_fields=fields)
    locked.given_by_guardians.add(*guardians)
    record_access(
        None,
        user=by,
        action=Action.UPDATE,
        pupil_id=pupil.pk,
        basis=_basis(by, pupil.current_school_id),
        obj=locked,
        detail="toestemming aangevuld",
    )
    consent.refresh_from_db()
    return consent


def same_purpose(consent: Consent) -> Q:
    """Consents of the same pupil, purpose and receiving organisation (none: none) as this one."""
    return Q(pupil_id=consent.pupil_id, purpose=consent.purpose) & (
        Q(recipient_id=consent.recipient_id)
        if consent.recipient_id is not None
        else Q(recipient__isnull=True)
    )


@transaction.atomic
def withdraw_consent(consent: Consent, *, by: Any, on: dt.date, reason: str) -> list[Consent]:
    """Withdraw from a day, today or earlier; takes effect on the next request.

    A parent withdraws consent for a purpose, not a row: every other consent of the same pupil,
    purpose and receiving organisation that was given by that day and has not expired or been
    withdrawn before it is withdrawn too (complete or not). Returns them, this one first.

    Never from a later day: the consent would stay valid until then while the ledger shows it
    withdrawn and refuses a second withdrawal, so a slip of the year kept it valid for decades.
    A second withdrawal is refused.
    """
    reason = reason.strip()
    if is_blank(reason):
        raise ConsentError("Geef een reden voor het intrekken.")
    if on > timezone.localdate():
        raise ConsentError(
            "Intrekken gaat meteen in: de datum kan niet in de toekomst liggen. "
            "Kies vandaag of eerder."
        )
    if on < consent.given_on:
        raise ConsentError("Intrekken kan niet vóór de datum waarop de toestemming is gegeven.")
    # Lock the rows and save (not a bare UPDATE) so the change history records the diff.
    locked = Consent.objects.select_for_update().filter(pk=consent.pk).first()
    if locked is None or locked.withdrawn_on is not None:
        raise ConsentError("Deze toestemming is al ingetrokken.")
    others = (
        Consent.objects.select_for_update()
        .filter(same_purpose(consent), given_on__lte=on, withdrawn_on__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .exclude(pk=consent.pk)
        .order_by("pk")
    )
    ended = [locked, *others]
    for row in ended:
        row.withdrawn_on, row.withdrawal_reason, row.withdrawn_by = on, reason, by
        row.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawn_by"])
        record_access(
            None,
            user=by,
            action=Action.UPDATE,
            pupil_id=row.pupil_id,
            basis=_basis(by, consent.pupil.current_school_id),
            obj=row,
            detail="toestemming ingetrokken",
        )
    for hook in _WITHDRAWN_HOOKS:
        transaction.on_commit(partial(hook, list(ended), by), robust=True)
    consent.refresh_from_db()
    return ended


@transaction.atomic
def record_legal_basis(
    pupil: Any,
    *,
    kind: str,
    purpose: str,
    reason: str,
    valid_from: dt.date,
    by: Any,
    recipient: Any = None,
    valid_until: dt.date | None = None,
    form_token: uuid.UUID | None = None,
) -> LegalBasis:
    """Record a reasoned basis for sharing without consent, or for the report to Veilig Thuis
    (meldrecht).

    Refused for a kind that cannot ground the purpose (`models.BASIS_PURPOSES`: meldrecht
    grounds the report to Veilig Thuis and no sharing inside Schoolzorg), for a receiving
    organisation that cannot receive under the purpose, as a consent is, and, for a purpose of
    sharing, without an end date: sharing without consent is weighed again, not open-ended.

    The form's `form_token`: the same form sent again returns the basis of the first send.
    """
    same = {"pupil_id": pupil.pk, "recorded_by_id": getattr(by, "pk", None)}
    first = formtokens.sent_before(LegalBasis, form_token, error=ConsentError, **same)
    if first is not None:
        return first
    if len(reason.strip()) < REASON_MIN:
        raise ConsentError(REASON_TOO_SHORT)
    if refused := refused_basis(kind, purpose):
        raise ConsentError(refused)
    if valid_until is None and purpose in SHARING_PURPOSES:
        raise ConsentError(BASIS_NEEDS_END)
    if valid_until is not None and valid_until < valid_from:
        raise ConsentError("'Geldig tot en met' ligt vóór 'geldig vanaf'.")
    if refused := refused_recipient(purpose, recipient):
        raise ConsentError(refused)
    basis, new = formtokens.create_once(
        LegalBasis,
        form_token,
        error=ConsentError,
        same=same,
        pupil=pupil,
        kind=kind,
        purpose=purpose,
        recipient=recipient,
        reason=reason.strip(),
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=by,
    )
    if not new:
        return basis
    record_access(
        None,
        user=by,
        action=Action.CREATE,
        pupil_id=pupil.pk,
        basis=_basis(by, pupil.current_school_id),
        obj=basis,
        detail=f"grondslag vastgelegd: {basis.get_kind_display()}",
    )
    return basis
