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


def test_a_long_text_without_a_subject_is_cut_after_a_whole_word() -> None:
    user = User.objects.create_user(email="sw@school.example", password="x" * 12, full_name="Sw")
    text = "Er is een nieuwe zorgmelding op uw school, over een leerling van groep zeven acht."
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([user], text=text, url="/zorg/1/")
    assert mail.outbox[0].subject == (
        "Schoolzorg: Er is een nieuwe zorgmelding op uw school, over een…"
    )


# --- The "Meldingen" page ------------------------------------------------------------------


def _user(name: str) -> User:
    return User.objects.create_user(
        email=f"{name}@school.example", password="x" * 12, full_name=name.title()
    )


def _note(user: User, text: str, url: str = "/", **extra: Any) -> Notification:
    return Notification.objects.create(user=user, text=text, url=url, **extra)


def test_the_page_lists_own_notifications_newest_first_and_marks_unread(client_for: Any) -> None:
    from django.utils import timezone

    me, other = _user("ilse"), _user("olaf")
    _note(me, "Oudste melding", read_at=timezone.now())
    _note(me, "Nieuwste melding", url="/toeleidingen/3/")
    _note(other, "Melding van een ander")
    body = client_for(me).get("/meldingen/").content.decode()
    assert body.index("Nieuwste melding") < body.index("Oudste melding")
    assert "Melding van een ander" not in body
    # Unread: a visible word and a text for screen readers, once; the read one has neither.
    assert body.count('<span class="tag tag--warn">Nieuw<span class="visually-hidden">') == 1
    assert "U hebt 1 ongelezen melding." in body
    newest = Notification.objects.get(text="Nieuwste melding")
    assert f'href="/meldingen/{newest.pk}/"' in body
    assert '<time datetime="' in body


def test_opening_the_page_does_not_mark_anything_read(client_for: Any) -> None:
    me = _user("ilse")
    _note(me, "Nog niet gezien")
    client_for(me).get("/meldingen/")
    assert Notification.objects.of(me).unread().count() == 1


def test_the_page_shows_25_at_a_time_and_survives_a_junk_page_number(client_for: Any) -> None:
    me = _user("ilse")
    Notification.objects.bulk_create(
        Notification(user=me, text=f"Melding {i:02d}", url="/") for i in range(30)
    )
    client = client_for(me)
    first = client.get("/meldingen/")
    assert len(first.context["page"].object_list) == 25
    assert "Pagina 1 van 2" in first.content.decode()
    second = client.get("/meldingen/?pagina=2").content.decode()
    assert second.count('class="notification ') == 5 and "Nieuwere meldingen" in second
    for junk in ("abc", "-1", "99999999999999999999"):
        response = client.get("/meldingen/", {"pagina": junk})
        assert response.status_code == 200


def test_the_page_reads_a_fixed_number_of_queries(
    client_for: Any, django_assert_max_num_queries: Any
) -> None:
    me = _user("ilse")
    client = client_for(me)
    client.get("/meldingen/")  # warm the session and the menu
    _note(me, "Eén melding")
    with django_assert_max_num_queries(12) as one:
        client.get("/meldingen/")
    Notification.objects.bulk_create(
        Notification(user=me, text=f"Melding {i}", url="/") for i in range(40)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/meldingen/")


def test_following_a_notification_marks_it_read_and_goes_to_its_page(client_for: Any) -> None:
    me = _user("ilse")
    note = _note(me, "Er is een nieuwe toeleiding.", url="/casussen/")
    other = _note(me, "Nog een")
    response = client_for(me).get(f"/meldingen/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/casussen/"
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None


def test_someone_elses_notification_answers_404_and_stays_unread(client_for: Any) -> None:
    me, other = _user("ilse"), _user("olaf")
    theirs = _note(other, "Voor Olaf")
    assert client_for(me).get(f"/meldingen/{theirs.pk}/").status_code == 404
    assert client_for(me).get("/meldingen/999999999/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url",
    [
        "https://elders.example/",
        "//elders.example/",
        "/\\elders.example/",
        "javascript:alert(1)",
        "",
    ],
)
def test_a_notification_leads_only_to_a_path_on_this_site(client_for: Any, url: str) -> None:
    me = _user("ilse")
    note = _note(me, "Vreemde link", url=url)
    response = client_for(me).get(f"/meldingen/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/meldingen/"


def test_mark_all_read_marks_only_ones_own(client_for: Any) -> None:
    me, other = _user("ilse"), _user("olaf")
    _note(me, "Een")
    _note(me, "Twee")
    theirs = _note(other, "Van Olaf")
    client = client_for(me)
    assert client.get("/meldingen/gelezen/").status_code == 405
    response = client.post("/meldingen/gelezen/", follow=True)
    assert Notification.objects.of(me).unread().count() == 0
    assert "Alle meldingen zijn gelezen." in response.content.decode()
    assert "Markeer alles als gelezen" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_menu_counts_unread_notifications_in_words(client_for: Any, settings: Any) -> None:
    from django.core.cache import cache

    settings.NAVIGATION_CACHE_SECONDS = 60
    cache.clear()
    me = _user("ilse")
    client = client_for(me)
    body = client.get("/meldingen/").content.decode()
    assert 'href="/meldingen/"' in body and "ongelezen</span></span>" not in body
    with TestCase.captureOnCommitCallbacks(execute=True):
        notify([me], text="Er is een nieuwe toeleiding.", url="/", email=False)
        notify([me], text="Nog een toeleiding.", url="/", email=False)
    # Receiving a notification forgets the cached menu: the badge counts at once.
    body = client.get("/").content.decode()
    assert '<span class="badge">2<span class="visually-hidden"> ongelezen</span></span>' in body
    # Another gunicorn worker keeps its own copy of the menu: put it back after reading, as
    # that worker would still hold it. Reading changes the session, so no worker uses it again.
    other_worker = cache.get(f"nav:{me.pk}")
    client.post("/meldingen/gelezen/")
    cache.set(f"nav:{me.pk}", other_worker, 60)
    body = client.get("/").content.decode()
    assert "ongelezen</span></span>" not in body
    cache.clear()


def test_the_daily_sweep_deletes_old_read_and_very_old_unread_notifications() -> None:
    import datetime as dt

    from django.utils import timezone

    from schoolzorg.accounts.notifications import prune_notifications
    from schoolzorg.lib import periodic

    now = timezone.now()
    me = _user("ilse")
    kept = {
        _note(me, "Gelezen, recent", read_at=now).pk,
        _note(me, "Ongelezen, half jaar").pk,
        _note(me, "Gelezen, twee maanden").pk,
    }
    gone = {_note(me, "Gelezen, oud").pk, _note(me, "Ongelezen, te oud").pk}
    ages = {
        "Ongelezen, half jaar": (180, None),
        "Gelezen, twee maanden": (60, 59),
        "Gelezen, oud": (91, 90),
        "Ongelezen, te oud": (366, None),
    }
    for text, (created_days, read_days) in ages.items():
        Notification.objects.filter(text=text).update(
            created_at=now - dt.timedelta(days=created_days),
            read_at=None if read_days is None else now - dt.timedelta(days=read_days),
        )

    assert prune_notifications(now) == 2
    assert set(Notification.objects.values_list("pk", flat=True)) == kept
    assert not Notification.objects.filter(pk__in=gone).exists()
    assert prune_notifications(now) == 0  # a second run finds nothing more
    assert "notifications" in {s.name for s in periodic.sweeps()}
