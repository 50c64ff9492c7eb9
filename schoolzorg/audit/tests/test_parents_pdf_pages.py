"""The parents' overview of who looked never ends with a page that holds only the print line:
the closing block ("Vragen?") and the line "Afgedrukt op …" stay together on one page, whatever
the length of what comes before them."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import pdf_text
from schoolzorg.audit import parents
from schoolzorg.audit.matrix import build_world

pytestmark = pytest.mark.django_db


def _readers(n: int) -> list[parents.Reader]:
    now = timezone.now()
    return [
        parents.Reader(
            user_id=i,
            name=f"Medewerker {i}",
            role="support_coordinator",
            organisation="Basisschool De Regenboog",
            times=3,
            first=now,
            last=now,
            emergencies=0,
            emergency_reads=0,
            reasons=["werkt op de school"],
        )
        for i in range(n)
    ]


def test_the_print_line_stays_with_the_last_block_when_the_list_nearly_fills_a_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = build_world()
    coordinator = world.users["coordinator"].full_name
    monkeypatch.setattr(parents, "readers", lambda pupil_id: _readers(3))
    # A paragraph (as the retention note adds) a line longer each time: the page fills up line
    # by line, through the lengths at which only the print line was left for a second page.
    for words in range(35, 85, 7):
        note = ("Nog iets", " ".join(["woord"] * words))
        monkeypatch.setattr(parents, "_NOTES", [lambda pupil, note=note: note])
        pdf = parents.render_pdf(world.pupil, printed_by=coordinator)
        pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
        last = pages[-1]
        assert "Afgedrukt op" in last, words
        assert "Vragen?" in last and "Vraag het aan de intern begeleider" in last, (words, last)
        assert "Afgedrukt op" not in "".join(pages[:-1]), words
