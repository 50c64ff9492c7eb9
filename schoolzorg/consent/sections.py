"""Pupil page section: the consent ledger and legal bases, with their status today."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from schoolzorg.consent import policies
from schoolzorg.consent.models import Consent, LegalBasis
from schoolzorg.lib.homepanels import Panel
from schoolzorg.pupils import sections


def consent_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full:
        return None
    consents = list(
        Consent.objects.filter(pupil=pupil)
        .select_related("recipient")
        .prefetch_related("given_by_guardians")
    )
    legal = list(LegalBasis.objects.filter(pupil=pupil).select_related("recipient"))
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
