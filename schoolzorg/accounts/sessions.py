"""Django's database sessions, with the one read every signed-in request makes prepared.

Loading the session is the first query of every page; compiling it costs more than running it
(lib.prepared). Everything else is Django's `sessions.backends.db`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from schoolzorg.lib.prepared import prepared


@prepared
def _session(session_key: str, now: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key, expire_date__gt=now)


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        if not self.session_key:  # Django's own code keeps its logging for the odd cases
            return super()._get_session_from_db()  # type: ignore[misc]
        found = _session.first(session_key=self.session_key, now=timezone.now())
        if found is None:
            self._session_key = None
        return found
