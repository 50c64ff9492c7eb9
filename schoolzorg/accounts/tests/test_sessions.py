"""The session store reads the session through a prepared query: same answers as Django's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from schoolzorg.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_loads_and_an_expired_or_unknown_one_does_not() -> None:
    store = SessionStore()
    store["colour"] = "blauw"
    store.save()
    key = store.session_key
    assert SessionStore(session_key=key).load() == {"colour": "blauw"}

    other = SessionStore()
    other["colour"] = "rood"
    other.save()
    Session.objects.filter(pk=other.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(session_key=other.session_key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key is made, the old one is not reused

    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {}
    assert SessionStore(session_key=key).load() == {"colour": "blauw"}  # still there
