"""The privacy officer's "Mijn werk" panel: what waits in the oversight of the read log.

Counts only, no child: the same figures as the log's start page (`views.index`), so a new
privacy officer sees on the start page that reviews and a weekly check wait for them.
"""

from __future__ import annotations

from django.http import HttpRequest

from schoolzorg.audit import policies, services
from schoolzorg.lib import homepanels


def _officer_work(request: HttpRequest) -> homepanels.Panel | None:
    from schoolzorg.retention.models import DestructionRequest, RequestState

    scope = policies.oversight_scope(request.user)
    if not scope:
        return None
    work = services.officer_work(scope)
    return homepanels.Panel(
        "Privacy en logboek",
        "audit/_panel_work.html",
        {
            "open_grants": work.open_grants,
            "last_week": work.last_week,
            "last_week_signed": work.last_week_review is not None,
            "open_requests": DestructionRequest.objects.filter(
                organisation_id__in=scope.organisations(), state=RequestState.OPEN
            ).count(),
        },
        order=10,
    )


homepanels.register("privacy_officer", _officer_work)
