"""For the demo seed: give the timeline rows a step wrote the day of the story, not the clock's.

The services date a timeline line with the clock (`auto_now_add`, `timezone.now`), while they
take the day of the step itself as `today`. The demo tells stories that took weeks (a referral
sent 14 school days ago, escalated on the days its deadlines ran out): `Backdate` remembers the
last id of each timeline table it is given, and `to(at)` gives every row written since then that
moment. A step of today keeps the clock's time (`moment` is None), so nothing lies in the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.utils import timezone


def moment(day: dt.date, hour: int, minute: int = 0, *, today: dt.date) -> dt.datetime | None:
    """`day` at `hour:minute` in the local time zone; None for today (the clock's own time)."""
    if day >= today:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class Backdate:
    """The rows written to some timeline tables after a point, to date them with the story.

    `columns`: (model, name of its date-time field). Rows are told apart by id, so this is for a
    seed that writes alone (no other writer at the same time).
    """

    def __init__(self, *columns: tuple[Any, str]) -> None:
        self.columns = columns
        self._last = {model: self._newest(model) for model, _ in columns}

    @staticmethod
    def _newest(model: Any) -> int:
        return int(model._default_manager.aggregate(newest=Max("pk"))["newest"] or 0)

    def written(self, model: Any) -> Any:
        """The rows of `model` written since the last call (or since the start)."""
        return model._default_manager.filter(pk__gt=self._last[model])

    def to(self, at: dt.datetime | None) -> None:
        """Date the rows written since the last call (or since the start) at `at`; None keeps
        the clock's time. Either way the next call starts from here."""
        for model, field in self.columns:
            if at is not None:
                self.written(model).update(**{field: at})
            self._last[model] = self._newest(model)
