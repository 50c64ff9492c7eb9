"""Background work: the escalation sweep, enqueued by `schoolzorg scheduler` every five minutes."""

from __future__ import annotations

from django.tasks import task

from schoolzorg.referrals.services import run_escalations


@task()
def escalate_overdue_referrals() -> int:
    """Escalate overdue referrals; idempotent, safe to run twice at once."""
    return run_escalations()
