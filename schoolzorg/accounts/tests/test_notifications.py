from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import TestCase

from schoolzorg.accounts.models import Notification, User
from schoolzorg.accounts.notifications import notify

pytestmark = pytest.mark.django_db


def test_the_email_links_to_the_full_address_and_the_app_keeps_the_path(settings: Any) -> None:
    settings.BASE_URL = "https://schoolzorg.example.nl"
    user = User.objects.create_user(email="ib@school.example", password="x" * 12, full_name="Ib")
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([user], text="Er is een nieuwe toeleiding.", url="/toeleidingen/16/")
    assert Notification.objects.get(user=user).url == "/toeleidingen/16/"
    assert len(mail.outbox) == 1
    assert (
        "Open Schoolzorg om het te bekijken: https://schoolzorg.example.nl/toeleidingen/16/"
        in mail.outbox[0].body
    )
