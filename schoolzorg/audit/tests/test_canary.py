"""A unique string in one pupil's data never reaches anyone without a relationship to that pupil.

Every GET route of the authorization matrix is crawled as each unrelated actor (and anonymous);
the canary must appear in no page, download, e-mail or log line.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.urls import NoReverseMatch, reverse

from schoolzorg.audit import matrix
from schoolzorg.consent.models import Consent

pytestmark = pytest.mark.django_db
CANARY = "Kanarievogel7Q"
UNRELATED_OR_ANONYMOUS = sorted(matrix.UNRELATED | {matrix.ANONYMOUS})


def _plant(world: matrix.World) -> None:
    pupil = world.pupil
    pupil.last_name = CANARY
    pupil.save(update_fields=["last_name"])
    guardian = pupil.guardian_links.get().guardian
    guardian.full_name = f"Ouder {CANARY}"
    guardian.save(update_fields=["full_name"])
    Consent.objects.filter(pk=world.consent.pk).update(data_scope=f"plan van {CANARY}")


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def test_canary_reaches_no_unrelated_user(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    world = matrix.build_world()
    specs = matrix.load_specs()
    done: set[int] = set()
    for spec_list in specs.values():
        for spec in spec_list:
            if spec.setup is not None and id(spec.setup) not in done:
                spec.setup(world)
                done.add(id(spec.setup))
    _plant(world)
    related_page = matrix.signed_in_client(world.users["coordinator"]).get(
        reverse("pupils:detail", kwargs={"pk": world.pupil.pk})
    )
    assert CANARY in _body(related_page), "the canary must be visible to a related user"
    caplog.clear()
    mail.outbox.clear()

    crawled = 0
    leaks: list[str] = []
    for name, spec_list in sorted(specs.items()):
        for spec in spec_list:
            if spec.method.upper() != "GET" or not spec.crawl:
                continue
            try:
                url = reverse(name, kwargs=spec.kwargs(world) or None)
            except NoReverseMatch:
                continue  # a spec for a route that does not exist: the matrix test flags it
            # Search by the first name: a leak would show the canary surname in the results
            # (searching for the canary itself would only echo the user's own input).
            queries = [spec.query, "q=Mila"] if spec.query.startswith("q=") else [spec.query]
            for actor in UNRELATED_OR_ANONYMOUS:
                client = matrix.signed_in_client(world.user(actor))
                for query in queries:
                    target = f"{url}?{query}" if query else url
                    try:
                        response = client.get(target, follow=True)
                    except Exception as exc:  # a crash hides whether the page would leak
                        leaks.append(f"{name} als {actor}: niet te controleren ({exc!r:.80})")
                        continue
                    crawled += 1
                    if CANARY in _body(response):
                        leaks.append(f"{name} als {actor}: pagina")
    for message in mail.outbox:
        if CANARY in f"{message.subject}\n{message.body}":
            leaks.append(f"e-mail aan {message.to}")
    for record in caplog.records:
        if CANARY in record.getMessage():
            leaks.append(f"logregel {record.name}: {record.getMessage()[:80]}")
    assert crawled > 0
    assert not leaks, "\n".join(leaks)
