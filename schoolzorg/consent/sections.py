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
from schoolzorg.pupils.models import GuardianLink, named_with_relation


@prepared
def _consents(pupil_id: int) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(pupil_id=pupil_id)
        .select_related("recipient")
        .prefetch_related("given_by_guardians")
    )


@prepared
def _guardian_links(pupil_id: int) -> QuerySet[GuardianLink]:
    return GuardianLink.objects.filter(pupil_id=pupil_id).only("guardian_id", "relation")


def name_givers(consents: list[Consent], pupil_id: int) -> None:
    """Name on each consent who gave it, each parent with their relation to the pupil (two
    parents of one name are told apart): `consent.given_by` for the overview and for the
    withdrawal page."""
    relations: dict[int, str] = {}
    if any(c.given_by_guardians.all() for c in consents):
        relations = {link.guardian_id: link.relation for link in _guardian_links(pupil_id=pupil_id)}
    for consent in consents:
        names = [
            named_with_relation(g.full_name, relations.get(g.pk, ""))
            for g in consent.given_by_guardians.all()
        ]
        if consent.given_by_pupil:
            names.append("de leerling")
        consent.given_by = names  # type: ignore[attr-defined]


@prepared
def _legal_bases(pupil_id: int) -> QuerySet[LegalBasis]:
    return LegalBasis.objects.filter(pupil_id=pupil_id).select_related("recipient")


def consent_section(request: HttpRequest, pupil: Any, basis: Any, full: bool) -> Panel | None:
    if not full:
        return None
    consents = _consents(pupil_id=pupil.pk)
    for consent in consents:  # the status reads the pupil's age: the pupil of this page
        consent.pupil = pupil
    name_givers(consents, pupil.pk)
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
