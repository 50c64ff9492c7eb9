"""Roll-up tables for the municipality's figures page.

Filled by `services.refresh_figures` (periodic task "refresh-figures" and the `refresh_figures`
command), never written by a page view. Rows hold counts per school, team or step and month; no
row identifies a pupil, and small counts are suppressed only when shown (see `suppression`).
"""

from __future__ import annotations

from django.db import models


class MonthlySchoolFigure(models.Model):
    """What happened at one school in one month.

    Flows (help requests, consents given...) count what happened in the month; stocks (pupils,
    consent, open cases) who was there on the month's stock day (`sources.stock_day`). A pupil
    counts at the school of the enrolment history on that day, a case at its own school.
    """

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    school = models.ForeignKey("organisations.School", on_delete=models.CASCADE, related_name="+")
    school_name = models.CharField(max_length=200)
    month = models.DateField(help_text="Eerste dag van de maand.")
    pupils = models.PositiveIntegerField(default=0)
    help_requests = models.PositiveIntegerField(default=0)
    cases_opened = models.PositiveIntegerField(default=0)
    pupils_in_care = models.PositiveIntegerField(
        default=0,
        help_text="Leerlingen met een open casus op de laatste dag van de maand, of vandaag.",
    )
    pupils_in_care_with_consent = models.PositiveIntegerField(default=0)
    pupils_with_consent = models.PositiveIntegerField(
        default=0, help_text="Leerlingen met geldige toestemming voor bespreking in het zorgteam."
    )
    consents_given = models.PositiveIntegerField(default=0)
    meetings_held = models.PositiveIntegerField(default=0)
    referrals_submitted = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["municipality", "school_name", "month"]
        constraints = [
            models.UniqueConstraint(fields=["school", "month"], name="unique_school_month_figure")
        ]
        indexes = [models.Index(fields=["municipality", "month"])]


class MonthlyReferralFigure(models.Model):
    """Referrals a neighbourhood team received in one month, and how their handover went."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        "organisations.NeighbourhoodTeam", on_delete=models.CASCADE, related_name="+"
    )
    team_name = models.CharField(max_length=200)
    month = models.DateField()
    referrals = models.PositiveIntegerField(default=0)
    warm_handovers = models.PositiveIntegerField(default=0)
    warm_handovers_within_norm = models.PositiveIntegerField(default=0)
    escalations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["municipality", "team_name", "month"]
        constraints = [
            models.UniqueConstraint(fields=["team", "month"], name="unique_team_month_figure")
        ]
        indexes = [models.Index(fields=["municipality", "month"])]


class MonthlyLeadTimeFigure(models.Model):
    """Lead time of one referral step, over the referrals that completed it in a month."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    step = models.CharField(max_length=60)
    step_label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)
    median_days = models.FloatField(null=True)
    p90_days = models.FloatField(null=True)

    class Meta:
        ordering = ["municipality", "order", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "step"], name="unique_step_month_figure"
            )
        ]


class MonthlyEscalationFigure(models.Model):
    """Escalations by reason and level of the ladder, per municipality and month."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    reason = models.CharField(max_length=60)
    reason_label = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField()
    escalations = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["municipality", "reason", "level", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "reason", "level"],
                name="unique_escalation_month_figure",
            )
        ]


class FigureRefresh(models.Model):
    """One row (pk=1): when the roll-ups were last rebuilt. Locked while a refresh runs."""

    refreshed_at = models.DateTimeField(null=True)
    # The day the refresh took as today: the stock day of the month that was still running.
    counted_on = models.DateField(null=True)
    seconds = models.FloatField(default=0)
    months = models.PositiveSmallIntegerField(default=0)
