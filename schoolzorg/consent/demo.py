"""Demo consents: most pupils may be discussed in the care team; some shared with their wijkteam."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from schoolzorg.accounts.roles import Role
from schoolzorg.consent.models import Consent, Purpose
from schoolzorg.pupils.models import GuardianLink

CARE_TEAM_SHARE = 0.85
NEIGHBOURHOOD_SHARE = 0.20


def seed_demo(ctx: Any) -> None:
    rng, today = ctx.rng, ctx.today
    guardians: dict[int, list[int]] = defaultdict(list)
    for pupil_id, guardian_id in GuardianLink.objects.filter(
        pupil__in=ctx.pupils, has_authority=True
    ).values_list("pupil_id", "guardian_id"):
        guardians[pupil_id].append(guardian_id)
    team_of_district: dict[int, Any] = {}
    for team in ctx.teams:
        for district in team.districts.all():
            team_of_district[district.pk] = team

    consents: list[Consent] = []
    for pupil in ctx.pupils:
        coordinator = ctx.staff[pupil.current_school_id][Role.SUPPORT_COORDINATOR][0]
        given = today - dt.timedelta(days=rng.randint(20, 300))
        roll = rng.random()
        if roll < CARE_TEAM_SHARE:
            consent = Consent(
                pupil=pupil,
                purpose=Purpose.DISCUSS_IN_CARE_TEAM,
                given_on=given,
                valid_until=given + dt.timedelta(days=365),
                given_by_pupil=pupil.age_on(given) >= 12,
                is_complete=True,
                evidence_note="Toestemmingsformulier bij de intake, getekend door de ouders.",
                recorded_by=coordinator,
            )
            if rng.random() < 0.03:
                consent.withdrawn_on = today - dt.timedelta(days=rng.randint(1, 15))
                consent.withdrawal_reason = "Ouders willen eerst zelf met de school praten."
                consent.withdrawn_by = coordinator
            elif rng.random() < 0.03:
                consent.valid_until = today - dt.timedelta(days=rng.randint(1, 30))
            consents.append(consent)
        team = team_of_district.get(pupil.home_district_id or 0)
        if team is not None and rng.random() < NEIGHBOURHOOD_SHARE:
            consents.append(
                Consent(
                    pupil=pupil,
                    purpose=Purpose.SHARE_WITH_NEIGHBOURHOOD_TEAM,
                    recipient=team,
                    data_scope="Het gezinsplan en de hulpvraag; geen schoolresultaten.",
                    given_on=given,
                    valid_until=given + dt.timedelta(days=180),
                    given_by_pupil=pupil.age_on(given) >= 12,
                    is_complete=True,
                    evidence_note="Mondeling gegeven in het gesprek met de ouders.",
                    recorded_by=coordinator,
                )
            )
    created = Consent.objects.bulk_create(consents, batch_size=500)
    through = Consent.given_by_guardians.through
    links = [
        through(consent_id=c.pk, guardian_id=g)
        for c in created
        for g in guardians.get(c.pupil_id, [])
    ]
    through.objects.bulk_create(links, batch_size=1000)
    # Pupils without any guardian with authority cannot have a complete consent under 16.
    orphans = [
        c.pk for c in created if not guardians.get(c.pupil_id) and c.pupil.age_on(c.given_on) < 16
    ]
    if orphans:
        Consent.objects.filter(pk__in=orphans).update(is_complete=False)
