"""Measures that need the cases and referrals apps: read only once their models exist.

Lead time per step is measured between the dates the referral workflow stamps on a referral
(`submitted_on`, `acknowledged_on`, `handover_planned_on`, `handover_held_on`, `first_contact_on`)
in school days of the school's holiday region (the unit of the norms), and counted in the month
the step was completed (`referrals.figures.lead_time_per_step`). A warm handover is within the norm when it was
held on or before its due date (`handover_due_on`, set from the municipality's service norm, and
moved on by the days the step "plan the warm handover" waited on the school's consent for it:
`referrals.services.end_handover_consent_wait`). The lead time of that step still holds the
days it waited: it is the time the family waited, whoever it waited on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q

from schoolzorg.reports.sources import (
    Counts,
    has_field,
    model,
    month_end,
    monthly_counts,
    stock_day,
)

STEPS = [
    ("acknowledge", "Ontvangst bevestigd", "submitted_on", "acknowledged_on"),
    ("plan_handover", "Warme overdracht gepland", "acknowledged_on", "handover_planned_on"),
    ("hold_handover", "Warme overdracht gehouden", "handover_planned_on", "handover_held_on"),
    ("first_contact", "Eerste contact met het gezin", "handover_held_on", "first_contact_on"),
    ("total", "Totaal: van versturen tot eerste contact", "submitted_on", "first_contact_on"),
]


def _referral() -> Any | None:
    m = model("referrals.Referral")
    needed = ["team", "school", "submitted_on", "handover_held_on", "handover_due_on"]
    return m if m is not None and all(has_field(m, f) for f in needed) else None


def _case_model() -> Any | None:
    m = model("cases.Case")
    needed = ["pupil", "school", "opened_at", "closed_at"]
    return m if m is not None and all(has_field(m, f) for f in needed) else None


def _open_at(case: Any, day: dt.date) -> Any:
    """Cases open at the end of a day (opened on or before it, not closed by then)."""
    return case._default_manager.filter(opened_at__date__lte=day).filter(
        Q(closed_at__isnull=True) | Q(closed_at__date__gt=day)
    )


def pupils_in_care(months: list[dt.date], today: dt.date) -> Counts:
    """Distinct pupils with a case open on the month's stock day, by the case's school."""
    case = _case_model()
    if case is None:
        return {}
    out: Counts = {}
    for month in months:
        day = stock_day(month, today)
        rows = _open_at(case, day).values("school_id").annotate(_n=Count("pupil_id", distinct=True))
        for r in rows:
            out[(r["school_id"], month)] = r["_n"]
    return out


def pupils_in_care_with_consent(months: list[dt.date], today: dt.date) -> Counts:
    """Of those pupils, the ones with a care-team consent in force on that day."""
    case = _case_model()
    if case is None:
        return {}
    from schoolzorg.consent.models import Consent, Purpose

    out: Counts = {}
    for month in months:
        day = stock_day(month, today)
        consented = Consent.objects.in_force(day).filter(purpose=Purpose.DISCUSS_IN_CARE_TEAM)
        rows = (
            _open_at(case, day)
            .filter(pupil_id__in=consented.values("pupil_id"))
            .values("school_id")
            .annotate(_n=Count("pupil_id", distinct=True))
        )
        for r in rows:
            out[(r["school_id"], month)] = r["_n"]
    return out


def warm_handovers(months: list[dt.date]) -> Counts:
    referral = _referral()
    if referral is None:
        return {}
    return monthly_counts(
        referral._default_manager.all(), group="team_id", when="handover_held_on", months=months
    )


def warm_handovers_within_norm(months: list[dt.date]) -> Counts:
    referral = _referral()
    if referral is None:
        return {}
    return monthly_counts(
        referral._default_manager.filter(
            handover_due_on__isnull=False, handover_held_on__lte=F("handover_due_on")
        ),
        group="team_id",
        when="handover_held_on",
        months=months,
    )


def escalations_by_team(months: list[dt.date]) -> Counts:
    escalation = model("referrals.Escalation")
    if escalation is None or not has_field(escalation, "raised_on"):
        return {}
    return monthly_counts(
        escalation._default_manager.all(),
        group="referral__team_id",
        when="raised_on",
        months=months,
    )


STEP_LABELS = {step: (order, label) for order, (step, label, _, _) in enumerate(STEPS)}


def _figures() -> Any | None:
    """`schoolzorg.referrals.figures`, the referrals app's own aggregate queries, if present."""
    try:
        from schoolzorg.referrals import figures
    except ImportError:
        return None
    return figures


def lead_times(months: list[dt.date]) -> list[dict[str, Any]]:
    """Rows for `MonthlyLeadTimeFigure` from `referrals.figures.lead_time_per_step`: median
    school days per step, over the steps completed in a month, per municipality of the receiving
    team."""
    figures = _figures()
    if figures is None:
        return []
    rows = []
    for lt in figures.lead_time_per_step(months[0], month_end(months[-1]), by="municipality"):
        if lt.unit_id is None:
            continue
        order, label = STEP_LABELS.get(lt.step, (len(STEP_LABELS), lt.step))
        rows.append(
            {
                "municipality_id": lt.unit_id,
                "month": lt.month,
                "step": lt.step,
                "step_label": label,
                "order": order,
                "referrals": lt.count,
                "median_days": lt.median_days,
                "p90_days": None,
            }
        )
    return rows


def escalations_by_reason_level(months: list[dt.date]) -> list[dict[str, Any]]:
    """Rows for `MonthlyEscalationFigure` from `referrals.figures`, per municipality of the team."""
    figures = _figures()
    if figures is None:
        return []
    from schoolzorg.referrals.models import Escalation

    labels = dict(Escalation._meta.get_field("reason").choices or [])
    return [
        {
            "municipality_id": e.unit_id,
            "month": e.month,
            "reason": e.reason,
            "reason_label": str(labels.get(e.reason, e.reason)),
            "level": e.level,
            "escalations": e.count,
        }
        for e in figures.escalations_by_reason_and_level(
            months[0], month_end(months[-1]), by="municipality"
        )
        if e.unit_id is not None
    ]
