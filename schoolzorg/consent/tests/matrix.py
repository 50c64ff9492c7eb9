"""Authorization matrix: the consent ledger (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from schoolzorg.audit.matrix import CASE_STAFF, FULL_WITH_CONSENT, RouteSpec, World


def _with_evidence(world: World) -> None:
    consent = world.consent
    consent.evidence_file.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)


def _incomplete(world: World) -> None:
    import datetime as dt

    from django.utils import timezone

    from schoolzorg.consent.models import Purpose
    from schoolzorg.consent.services import record_consent
    from schoolzorg.pupils.tests.factories import add_guardian

    pupil = world.pupil_without_consent
    first = pupil.guardian_links.get().guardian
    add_guardian(pupil, full_name="Tweede Ouder Matrix")
    world.extra["incomplete"] = record_consent(
        pupil,
        purpose=Purpose.DISCUSS_IN_CARE_TEAM,
        given_on=timezone.localdate() - dt.timedelta(days=3),
        guardians=[first],
        evidence_note="formulier",
        by=world.users["coordinator"],
    )


ROUTES = {
    "consent:new": [
        RouteSpec(kwargs=lambda w: {"pupil_id": w.pupil.pk}, allowed=CASE_STAFF, label="met"),
        RouteSpec(
            kwargs=lambda w: {"pupil_id": w.pupil_without_consent.pk},
            allowed=CASE_STAFF,
            label="zonder toestemming",
        ),
    ],
    "consent:legal_basis_new": RouteSpec(
        kwargs=lambda w: {"pupil_id": w.pupil_without_consent.pk},
        allowed={"coordinator", "social_worker"},
    ),
    "consent:withdraw": RouteSpec(kwargs=lambda w: {"pk": w.consent.pk}, allowed=CASE_STAFF),
    "consent:complete": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["incomplete"].pk}, allowed=CASE_STAFF, setup=_incomplete
    ),
    "consent:evidence": RouteSpec(
        kwargs=lambda w: {"pk": w.consent.pk}, allowed=FULL_WITH_CONSENT, setup=_with_evidence
    ),
}
