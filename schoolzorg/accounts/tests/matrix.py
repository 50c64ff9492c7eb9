"""Authorization matrix: the login pages and one's own notifications (see schoolzorg/audit/matrix.py)."""

from __future__ import annotations

from typing import Any

from schoolzorg.audit.matrix import EVERYONE, SIGNED_IN, RouteSpec, World


def _notifications(world: World) -> None:
    """Every user gets a read and an unread notification; the coordinator (the first actor the
    axe crawl uses) a page and a half of them, so the pager is shown too."""
    from django.utils import timezone

    from schoolzorg.accounts.models import Notification

    rows: list[Any] = []
    for actor, user in world.users.items():
        many = 30 if actor == "coordinator" else 1
        rows += [
            Notification(user=user, text=f"Er is een nieuwe toeleiding ({i + 1}).", url="/")
            for i in range(many)
        ]
        rows.append(
            Notification(
                user=user, text="Een zorgoverleg is gepland.", url="", read_at=timezone.now()
            )
        )
    Notification.objects.bulk_create(rows)
    world.extra["notification"] = Notification.objects.filter(
        user=world.users["coordinator"], read_at__isnull=True
    ).first()


ROUTES = {
    # Signed-in users are sent home; anonymous users see the form.
    "accounts:login": RouteSpec(allowed=EVERYONE, label="publiek: inlogformulier"),
    "accounts:verify": RouteSpec(allowed=SIGNED_IN),
    "accounts:setup": RouteSpec(allowed=SIGNED_IN),
    "accounts:reauth": RouteSpec(allowed=SIGNED_IN),
    "accounts:account": RouteSpec(allowed=SIGNED_IN, label="eigen account"),
    # "Blijf ingelogd" in the warning before the idle limit: JSON, a 401 when not signed in.
    "accounts:keep_signed_in": RouteSpec(
        allowed=SIGNED_IN, method="POST", crawl=False, label="sessie verlengen"
    ),
    "accounts:logout": RouteSpec(
        allowed=EVERYONE, method="POST", crawl=False, ends_at_login=True, label="uitloggen"
    ),
    "accounts:notifications": RouteSpec(
        allowed=SIGNED_IN, setup=_notifications, label="eigen meldingen"
    ),
    "accounts:notification_open": RouteSpec(
        kwargs=lambda w: {"pk": w.extra["notification"].pk},
        allowed={"coordinator"},
        setup=_notifications,
        # Following the link marks the notification read and redirects to its page.
        crawl=False,
        label="melding van de intern begeleider; anderen 404",
    ),
    "accounts:notifications_read_all": RouteSpec(
        allowed=SIGNED_IN, method="POST", setup=_notifications, label="eigen meldingen gelezen"
    ),
}
