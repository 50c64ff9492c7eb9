"""Pupil page section: the consent ledger and legal bases, with their status today."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from schoolzorg.consent import policies
from schoolzorg.consent.models import Consent, LegalBasis
from schoolzorg.lib.homepanels import Panel
from schoolzorg.lib.prepared import prepared
from schoolzorg.pupils import sections


@prepared
def _consents(pupil_id: int) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(pupil_id=pupil_id)
        .select_related("recipient")
        .prefetch_related("given_by_guardians")
    )


@prepared
def _legal_bases(pupil_id: int) -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(pupil_id=pupil_id).select_related("recipient")


def consent_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full:
        return None
    consents = _consents(pupil_id=pupil.pk)
    for consent in consents:  # the status reads the pupil's age: the pupil of this page
        consent.pupil = pupil
    legal = _legal_bases(pupil_id=pupil.pk)
    return Panel(
        "Toestemming en grondslag",
        "consent/_section.html",
        {
            "pupil": pupil,
            "consents": consents,
            "legal_bases": legal,
            "can_record": policies.can_record_consent(request.user, pupil),
            "can_record_legal": policies.can_record_legal_basis(request.user, pupil),
        },
        order=20,
    )


sections.register("consent", consent_section)
