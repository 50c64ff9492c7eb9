"""Demo read-log history and a few break-the-glass grants for the privacy officer to review."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from schoolzorg.accounts.roles import Role
from schoolzorg.audit.models import AccessLogEntry, BreakGlassGrant

AMS = ZoneInfo("Europe/Amsterdam")


def seed_demo(ctx: Any) -> None:
    rng, today = ctx.rng, ctx.today
    entries: list[AccessLogEntry] = []
    # Three weeks of ordinary reads by each school's support coordinator, a few at night and
    # one coordinator who reads far more than the others (the weekly report should show it).
    for s, school in enumerate(ctx.schools):
        user = ctx.staff[school.pk][Role.SUPPORT_COORDINATOR][0]
        pupils = [p for p in ctx.pupils if p.current_school_id == school.pk]
        reads = 120 if s == 0 else rng.randint(8, 25)
        for _ in range(reads):
            day = today - dt.timedelta(days=rng.randint(1, 21))
            hour = rng.choice([8, 9, 10, 11, 13, 14, 15, 16]) if rng.random() > 0.05 else 22
            at = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=AMS)
            pupil = rng.choice(pupils)
            entries.append(
                AccessLogEntry(
                    at=at,
                    user_id=user.pk,
                    user_label=str(user),
                    role=Role.SUPPORT_COORDINATOR,
                    organisation_id=school.pk,
                    organisation_label=school.name,
                    pupil_id=pupil.pk,
                    action="view",
                    object_type="pupils.Pupil",
                    object_id=str(pupil.pk),
                    basis="membership",
                    detail="leerlingpagina",
                )
            )
    entries.sort(key=lambda e: e.at)
    AccessLogEntry.objects.bulk_create(entries, batch_size=1000)

    smw = ctx.users.get(Role.SCHOOL_SOCIAL_WORKER)
    if smw is None or not ctx.pupils:
        return
    membership = smw.memberships.first()
    now = timezone.now()
    reasons = [
        "Leerling kwam 's avonds bij de inloop, school was dicht en IB-er niet bereikbaar.",
        "Melding van de wijkagent over het gezin; ik moest weten of er al hulp loopt.",
    ]
    for i, reason in enumerate(reasons):
        pupil = ctx.pupils[-(i + 1)]
        granted = now - dt.timedelta(days=3 + i, hours=2)
        BreakGlassGrant.objects.create(
            user=smw,
            pupil_id=pupil.pk,
            pupil_label=str(pupil),
            role=membership.role,
            organisation_id=membership.organisation_id,
            organisation_label=str(membership.organisation),
            reason=reason,
            granted_at=granted,
            expires_at=granted + dt.timedelta(minutes=60),
        )
