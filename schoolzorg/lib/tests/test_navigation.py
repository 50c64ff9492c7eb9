from __future__ import annotations

import datetime as dt

import time_machine
from django.core.cache import cache
from django.test import RequestFactory

from schoolzorg.accounts.roles import Role
from schoolzorg.lib import navigation
from schoolzorg.organisations.tests.factories import SchoolFactory


def test_menu_is_kept_per_user_for_the_configured_time(settings, member):
    settings.NAVIGATION_CACHE_SECONDS = 60
    cache.clear()
    calls: list[int] = []

    def counting(request):
        calls.append(request.user.pk)
        return navigation.NavItem("Teller", "/teller/", count=len(calls))

    navigation.register("test_counting", counting)
    try:
        first = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
        second = member(Role.SUPPORT_COORDINATOR, SchoolFactory())
        request = RequestFactory().get("/teller/")
        with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
            request.user = first
            items = navigation.items_for(request)
            assert [i.count for i in items if i.label == "Teller"] == [1]
            assert [i.is_current for i in items if i.label == "Teller"] == [True]
            request.path = "/elders/"
            again = navigation.items_for(request)
            assert calls == [first.pk]  # the next page: from the cache
            assert [(i.count, i.is_current) for i in again if i.label == "Teller"] == [(1, False)]
            request.user = second
            navigation.items_for(request)
            assert calls == [first.pk, second.pk]  # never another user's menu
            t.shift(dt.timedelta(seconds=61))
            request.user = first
            navigation.items_for(request)
            assert calls == [first.pk, second.pk, first.pk]
    finally:
        navigation._PROVIDERS[:] = [p for p in navigation._PROVIDERS if p[0] != "test_counting"]
        cache.clear()
