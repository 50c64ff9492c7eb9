"""Authorization matrix for referrals (see schoolzorg/audit/matrix.py).

A submitted referral of the world's pupil to the world's team, and a draft of the same pupil.
The receiving team sees the submitted one (never the draft); another team sees neither; only
the support coordinator and the school social worker write on the school side. The
municipality's service desk sees a referral only once it reached escalation level 4: one
escalated to level 3 stays hidden from it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from schoolzorg.audit.matrix import CASE_STAFF, RouteSpec, World

SCHOOL_WRITERS = frozenset({"coordinator", "social_worker"})
TEAMS = frozenset({"team_worker", "other_team_worker"})


def _referrals(world: World) -> None:
    from schoolzorg.referrals.models import Referral
    from schoolzorg.referrals.tests.factories import COMPLETE_DOCUMENT

    smw = world.users["social_worker"]
    today = timezone.localdate()
    world.extra["sent"] = Referral.objects.create(
        pupil=world.pupil,
        school=world.school,
        team=world.team,
        state="submitted",
        created_by=smw,
        social_worker=smw,
        round=1,
        submitted_at=timezone.now(),
        submitted_on=today,
        acknowledge_due_on=today + dt.timedelta(days=2),
        **COMPLETE_DOCUMENT,
    )
    world.extra["draft"] = Referral.objects.create(
        pupil=world.pupil, school=world.school, team=world.team, created_by=smw, social_worker=smw
    )


def _escalated(world: World, level: int) -> None:
    """The submitted referral, escalated by the school up to `level` (each rung once)."""
    from schoolzorg.referrals.models import Escalation

    _referrals(world)
    referral = world.extra["sent"]
    for rung in range(1, level + 1):
        Escalation.objects.create(
            referral=referral,
            round=1,
            step="acknowledge",
            level=rung,
            reason="no_response",
            note="geen reactie",
            is_manual=True,
            raised_by=world.users["social_worker"],
            raised_on=timezone.localdate(),
            due_on=referral.acknowledge_due_on,
        )
    world.extra[f"escalated_{level}"] = referral


def _escalated_3(world: World) -> None:
    _escalated(world, 3)


def _escalated_4(world: World) -> None:
    _escalated(world, 4)


def _empty_section() -> str:
    """The fingerprint the edit page carries for a section that is still empty."""
    from schoolzorg.referrals.services import fingerprint

    return fingerprint("")


def _acknowledged(world: World) -> None:
    """The sent referral, acknowledged by the team's worker."""
    from schoolzorg.referrals.models import Referral

    _referrals(world)
    Referral.objects.filter(pk=world.extra["sent"].pk).update(
        state="acknowledged", assignee=world.users["team_worker"]
    )


def _sent(world: World) -> dict[str, int]:
    return {"pk": world.extra["sent"].pk}


def _draft(world: World) -> dict[str, int]:
    return {"pk": world.extra["draft"].pk}


ROUTES = {
    "referrals:inbox": [
        RouteSpec(
            allowed=TEAMS | {"service_desk"},
            label="eigen inbox; servicepunt: escalaties niveau 4; inhoud gefilterd",
        ),
        RouteSpec(
            allowed=TEAMS | {"service_desk"},
            setup=_escalated_4,
            label="met een escalatie naar niveau 4",
        ),
    ],
    "referrals:outgoing": RouteSpec(
        allowed=CASE_STAFF | {"outsider"}, label="lijst van de eigen school"
    ),
    "referrals:contacts": RouteSpec(allowed=CASE_STAFF | {"outsider"} | TEAMS),
    "referrals:start": RouteSpec(kwargs=lambda w: {"pupil_pk": w.pupil.pk}, allowed=CASE_STAFF),
    "referrals:detail": [
        RouteSpec(
            kwargs=_sent,
            allowed=CASE_STAFF | {"team_worker"},
            setup=_referrals,
            label="verstuurd",
        ),
        RouteSpec(kwargs=_draft, allowed=CASE_STAFF, setup=_referrals, label="concept"),
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["escalated_3"].pk},
            allowed=CASE_STAFF | {"team_worker"},
            setup=_escalated_3,
            label="escalatie niveau 3: servicepunt 404",
        ),
        RouteSpec(
            kwargs=lambda w: {"pk": w.extra["escalated_4"].pk},
            allowed=CASE_STAFF | {"team_worker", "service_desk"},
            setup=_escalated_4,
            label="escalatie niveau 4: servicepunt ziet hem",
        ),
    ],
    "referrals:edit": RouteSpec(kwargs=_draft, allowed=SCHOOL_WRITERS, setup=_referrals),
    "referrals:autosave": RouteSpec(
        kwargs=_draft,
        allowed=SCHOOL_WRITERS,
        setup=_referrals,
        method="POST",
        data=lambda w: {"concerns": "matrix", "base_concerns": _empty_section()},
    ),
    "referrals:choose_team": RouteSpec(
        kwargs=_draft,
        allowed=SCHOOL_WRITERS,
        setup=_referrals,
        method="POST",
        data=lambda w: {
            "seen_state": "draft",
            "seen_round": 0,
            "team": w.other_team.pk,
            "reason": "verhuizing",
        },
    ),
    "referrals:escalate": RouteSpec(
        kwargs=_sent,
        allowed=SCHOOL_WRITERS,
        setup=_referrals,
        method="POST",
        data=lambda w: {
            "escalate-seen_state": "submitted",
            "escalate-seen_round": 1,
            "escalate-seen_escalation_count": 0,
            "escalate-reason": "no_response",
            "escalate-note": "geen reactie",
        },
    ),
    # Only a team leader or the team's contact person hands a referral on (test_reassign.py);
    # none of the matrix's actors is either, the team's own worker included.
    "referrals:reassign": RouteSpec(
        kwargs=_sent,
        allowed=frozenset(),
        setup=_acknowledged,
        method="POST",
        data=lambda w: {
            "reassign-seen_state": "acknowledged",
            "reassign-seen_round": 1,
            "reassign-seen_worker": w.users["team_worker"].pk,
            "reassign-worker": w.users["team_worker"].pk,
        },
        label="ontvangen, met een behandelaar",
    ),
    # The move by its workflow name; its address is Dutch (/toeleidingen/<id>/ontvangst-bevestigen/,
    # `urls.MoveConverter`).
    "referrals:move": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["sent"].pk, "name": "acknowledge"},
        allowed={"team_worker"},
        setup=_referrals,
        method="POST",
        data=lambda w: {
            "acknowledge-seen_state": "submitted",
            "acknowledge-seen_round": 1,
            "acknowledge-worker": w.users["team_worker"].pk,
        },
    ),
}
