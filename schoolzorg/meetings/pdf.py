"""Printable agenda and minutes (PDF/UA via WeasyPrint)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from schoolzorg.meetings.models import CareMeeting


def minutes_pdf(meeting: CareMeeting, *, items: list[Any], context: dict[str, Any]) -> bytes:
    """Render the agenda with minutes and decisions of the given (already permitted) items."""
    from weasyprint import HTML

    html = render_to_string(
        "meetings/print.html",
        {"meeting": meeting, "items": items, "printed_at": timezone.now(), **context},
    )
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
