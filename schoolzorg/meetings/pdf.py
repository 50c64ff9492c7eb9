"""Printable agenda and minutes (PDF/UA via WeasyPrint): the team's, and one child's for the
parents."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from schoolzorg.lib.pdf import html_to_pdf
from schoolzorg.meetings.models import AgendaItem, CareMeeting


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, {"printed_at": timezone.now(), **context}))


def minutes_pdf(meeting: CareMeeting, *, items: list[Any], context: dict[str, Any]) -> bytes:
    """Render the agenda with minutes and decisions of the given (already permitted) items."""
    return _pdf("meetings/print.html", {"meeting": meeting, "items": items, **context})


def item_minutes_pdf(item: AgendaItem, *, context: dict[str, Any]) -> bytes:
    """Render one pupil's item for the parents: its minutes, decisions and the parents' reaction;
    nothing of the other items or of who else took part. The item is already permitted and
    discussable, with `decision_list` and `guest_list` set."""
    return _pdf("meetings/print_item.html", {"meeting": item.meeting, "item": item, **context})
