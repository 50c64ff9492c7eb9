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
    assert '<span class="badge">1<span class="visually-hidden"> open</span></span>' in body
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
