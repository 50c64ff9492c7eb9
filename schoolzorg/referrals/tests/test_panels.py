from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from schoolzorg.lib.periodic import sweeps
from schoolzorg.referrals.tests.factories import draft, make_world, submitted

pytestmark = pytest.mark.django_db


def test_escalation_sweep_is_registered_every_five_minutes() -> None:
    sweep = next(s for s in sweeps() if s.name == "referral-escalations")
    assert sweep.every_seconds == 300
    assert sweep.task.name == "escalate_overdue_referrals"


def test_team_sees_new_referrals_in_menu_and_my_work(client_for: Callable[[Any], Client]) -> None:
    world = make_world()
    submitted(world)
    body = client_for(world.worker).get(reverse("home")).content.decode()
    # The badge counts only newly sent referrals, and says so (tester X1: it said "open").
    assert '<span class="badge">1<span class="visually-hidden"> nieuw</span></span>' in body
    assert "1 nieuwe toeleiding" in body


def test_pupil_page_shows_the_referral_to_the_school(client_for: Callable[[Any], Client]) -> None:
    world = make_world()
    submitted(world)
    body = (
        client_for(world.smw).get(reverse("pupils:detail", args=[world.pupil.pk])).content.decode()
    )
    assert "Toeleiding naar Wijkteam Oost" in body


def test_the_school_sees_its_drafts_counted_in_dutch(client_for: Callable[[Any], Client]) -> None:
    world = make_world()
    draft(world)
    draft(world)
    body = client_for(world.smw).get(reverse("home")).content.decode()
    assert "2 concepten of teruggestuurd" in body
    assert '2<span class="visually-hidden"> concepten of teruggestuurd</span>' in body


def test_each_school_count_links_to_the_list_of_exactly_those_referrals(
    client_for: Callable[[Any], Client],
) -> None:
    """Tester V9: "… lopend bij het wijkteam, 3 te laat" and "… concepten of teruggestuurd"
    opened the whole outgoing list, ended referrals and all. Each count now links to a view of
    the list that shows what it counts (one definition: `models.outgoing_q`)."""
    import datetime as dt
    import re

    from schoolzorg.referrals import services
    from schoolzorg.referrals.tests.factories import another_pupil

    world = make_world()
    names = {}

    def made(referral: Any) -> Any:
        names[referral.pk] = f"{referral.pupil.first_name} {referral.pupil.last_name}"
        return referral

    first_draft = made(draft(world))
    late = made(submitted(world, today=dt.date(2025, 3, 3), pupil=another_pupil(world)))
    on_time = made(submitted(world, pupil=another_pupil(world)))
    returned = made(submitted(world, pupil=another_pupil(world)))
    services.return_incomplete(returned, by=world.worker, reasons="Ernsttaxatie ontbreekt")
    withdrawn = made(submitted(world, pupil=another_pupil(world)))
    services.withdraw_referral(withdrawn, by=world.smw, reason="Gezin zoekt zelf hulp")
    expected = {
        "concepten": {first_draft.pk, returned.pk},
        "lopend": {late.pk, on_time.pk},
        "te-laat": {late.pk},
        "alle": {first_draft.pk, late.pk, on_time.pk, returned.pk, withdrawn.pk},
    }
    client = client_for(world.smw)
    home = client.get(reverse("home")).content.decode()
    outgoing = reverse("referrals:outgoing")
    for view, text in [
        ("concepten", "2 concepten of teruggestuurd"),
        ("lopend", "2 lopend bij het wijkteam"),
        ("te-laat", "1 te laat"),
    ]:
        assert f'<a href="{outgoing}?weergave={view}">{text}</a>' in home
    for view, pks in expected.items():
        page = client.get(f"{outgoing}?weergave={view}").content.decode()
        shown = {int(pk) for pk in re.findall(r'<a href="/toeleidingen/(\d+)/">', page)}
        assert shown == pks, view
        assert f'href="?weergave={view}" aria-current="page"' in page
    # Without a view (the menu's link), or with an unknown one: every referral of the school.
    for query in ["", "?weergave=onzin"]:
        page = client.get(outgoing + query).content.decode()
        shown = {int(pk) for pk in re.findall(r'<a href="/toeleidingen/(\d+)/">', page)}
        assert shown == expected["alle"]
