"""Two people (or two sweeps) at the same moment, on real separate database connections."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.db import connection, connections

from schoolzorg.referrals import services
from schoolzorg.referrals.models import Escalation, Referral
from schoolzorg.referrals.tests.factories import draft, make_world, submitted
from schoolzorg.referrals.workflow import State

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def _race(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads that start together; return each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = job()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_simultaneous_acknowledges_have_exactly_one_effect() -> None:
    world = make_world()
    referral = submitted(world)
    a, b = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
    results = _race(
        lambda: services.acknowledge_referral(a, by=world.worker),
        lambda: services.acknowledge_referral(b, by=world.worker2),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], services.StaleState)
    assert "net gewijzigd" in str(errors[0])
    referral.refresh_from_db()
    assert referral.state == State.ACKNOWLEDGED
    assert referral.events.filter(kind="acknowledge").count() == 1


def test_double_submit_at_once_sends_once() -> None:
    world = make_world()
    referral = draft(world)
    a, b = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
    results = _race(
        lambda: services.submit_referral(a, by=world.smw),
        lambda: services.submit_referral(b, by=world.smw),
    )
    assert sum(isinstance(r, services.StaleState) for r in results) == 1
    referral.refresh_from_db()
    assert referral.round == 1 and referral.events.filter(kind="submit").count() == 1


def test_two_sweeps_at_once_escalate_each_level_once() -> None:
    world = make_world()
    submitted(world, today=dt.date(2025, 3, 3))  # due Wed 5 March
    later = dt.date(2025, 3, 24)  # more than ten school days past the due date
    results = _race(
        lambda: services.run_escalations(later), lambda: services.run_escalations(later)
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert sum(results) == 4
    assert sorted(Escalation.objects.values_list("level", flat=True)) == [1, 2, 3, 4]


def test_three_escalations_from_one_screen_at_once_climb_one_rung() -> None:
    world = make_world()
    referral = submitted(world)
    screens = [Referral.objects.get(pk=referral.pk) for _ in range(3)]
    results = _race(
        *[
            (
                lambda s=s: services.escalate_referral(
                    s, by=world.smw, reason="no_response", note="Geen reactie"
                )
            )
            for s in screens
        ]
    )
    assert sum(isinstance(r, services.StaleState) for r in results) == 2, results
    assert list(Escalation.objects.values_list("level", flat=True)) == [1]


@pytest.fixture
def slow_compare(monkeypatch: pytest.MonkeyPatch) -> None:
    """Widen the moment between reading a draft and writing it, where a second save could
    slip in if the row were not locked."""
    fingerprint = services.fingerprint

    def slow(value: Any) -> str:
        time.sleep(0.01)
        return fingerprint(value)

    monkeypatch.setattr(services, "fingerprint", slow)


def _screen(referral: Referral) -> dict[str, services.Seen]:
    return {
        name: services.Seen(services.fingerprint(getattr(referral, name)))
        for name in services.DOCUMENT_FIELDS
    }


def _form(referral: Referral, **changes: Any) -> dict[str, Any]:
    return {**{name: getattr(referral, name) for name in services.DOCUMENT_FIELDS}, **changes}


def test_two_autosaves_of_different_sections_at_once_keep_both_texts() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    for round_ in range(5):
        a, b = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
        tried, handover = f"Geprobeerd {round_}", f"Overdracht {round_}"
        results = _race(
            partial(
                services.save_draft,
                a,
                _form(a, already_tried=tried),
                by=world.smw,
                seen=_screen(a),
            ),
            partial(
                services.save_draft,
                b,
                _form(b, proposed_handover=handover),
                by=world.coordinator,
                seen=_screen(b),
            ),
        )
        assert not any(isinstance(r, Exception) for r in results), results
        assert all(not r.conflicts for r in results)
        referral.refresh_from_db()
        assert (referral.already_tried, referral.proposed_handover) == (tried, handover)


@pytest.mark.usefixtures("slow_compare")
def test_two_saves_of_the_same_section_at_once_save_one_and_report_the_other() -> None:
    world = make_world()
    referral = draft(world, complete=False)
    for round_ in range(5):
        a, b = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
        results = _race(
            partial(
                services.save_draft,
                a,
                _form(a, concerns=f"A{round_}"),
                by=world.smw,
                seen=_screen(a),
            ),
            partial(
                services.save_draft,
                b,
                _form(b, concerns=f"B{round_}"),
                by=world.smw,
                seen=_screen(b),
            ),
        )
        assert not any(isinstance(r, Exception) for r in results), results
        saved = [r for r in results if r.saved == ["concerns"]]
        refused = [r for r in results if "concerns" in r.conflicts]
        assert len(saved) == 1 and len(refused) == 1, results
        referral.refresh_from_db()
        assert refused[0].conflicts["concerns"] == referral.concerns


@pytest.mark.usefixtures("slow_compare")
def test_a_save_and_a_send_at_once_never_send_a_text_the_sender_did_not_see() -> None:
    world = make_world()
    for _ in range(3):
        referral = draft(world)
        sender, writer = Referral.objects.get(pk=referral.pk), Referral.objects.get(pk=referral.pk)
        showing = {name: {seen.base} for name, seen in _screen(sender).items()}
        results = _race(
            partial(services.submit_referral, sender, by=world.smw, showing=showing),
            partial(
                services.save_draft,
                writer,
                _form(writer, concerns="Nieuw: er is geweld gezien."),
                by=world.coordinator,
                seen=_screen(writer),
            ),
        )
        sent, saved = results
        referral.refresh_from_db()
        if isinstance(sent, Exception):
            # The save came first: the send is refused and says why.
            assert isinstance(sent, services.UnseenChanges), sent
            assert referral.state == State.DRAFT
            assert referral.concerns == "Nieuw: er is geweld gezien."
        else:
            # The send came first: the save finds a sent referral and saves nothing.
            assert isinstance(saved, services.StaleState), saved
            assert referral.state == State.SUBMITTED
            assert referral.concerns != "Nieuw: er is geweld gezien."
        Referral.objects.filter(pk=referral.pk).delete()
