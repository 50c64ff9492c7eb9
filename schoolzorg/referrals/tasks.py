"""Background work, enqueued by `schoolzorg scheduler`: the escalation sweep and the check of the
ground for sharing, each every five minutes."""

from __future__ import annotations

from django.tasks import task

from schoolzorg.referrals.services import run_escalations, run_share_basis_checks


@task()
def escalate_overdue_referrals() -> int:
    """Escalate overdue referrals; idempotent, safe to run twice at once."""
    return run_escalations()


@task()
def check_share_basis() -> int:
    """Tell the teams of referrals whose consent or legal basis to share ended; idempotent."""
    return run_share_basis_checks()
