"""The privacy officer's "Mijn werk" panel: what waits in the oversight of the read log.

Counts only, no child: the same figures as the log's start page (`views.index`), so a new
privacy officer sees on the start page that reviews and a weekly check wait for them.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone

from schoolzorg.audit import policies, services
from schoolzorg.audit.anomalies import week_of
from schoolzorg.lib import homepanels


def _officer_work(request: HttpRequest) -> homepanels.Panel | None:
    from schoolzorg.retention.models import DestructionRequest, RequestState

    scope = policies.oversight_scope(request.user)
    if not scope:
        return None
    last_week = week_of(timezone.localdate()) - dt.timedelta(days=7)
    return homepanels.Panel(
        "Privacy en logboek",
        "audit/_panel_work.html",
        {
            "open_grants": policies.scoped_grants(scope).filter(reviewed_at__isnull=True).count(),
            "last_week": last_week,
            "last_week_signed": services.week_review(last_week, scope.owner_ids[0]) is not None,
            "open_requests": DestructionRequest.objects.filter(
                organisation_id__in=scope.organisations(), state=RequestState.OPEN
            ).count(),
        },
        order=10,
    )


homepanels.register("privacy_officer", _officer_work)
