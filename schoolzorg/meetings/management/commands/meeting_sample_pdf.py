"""`meeting_sample_pdf --out DIR`: print the minutes of a held demo meeting to a PDF file.

For looking at the print layout; uses the demo data (run `seed` first). The print is logged in
the read log under the meeting's support coordinator, as any print would be.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import transaction
from django.test import RequestFactory

from schoolzorg.careteams.models import CareTeamMember, TeamRole
from schoolzorg.lib.commands import BaseCommand
from schoolzorg.meetings.models import CareMeeting
from schoolzorg.meetings.workflow import MeetingState


class Command(BaseCommand):
    help = "Maak een voorbeeld-PDF van agenda en verslag van een gehouden demo-overleg."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="Map waarin de PDF komt.")

    def handle(self, *args: Any, **options: Any) -> None:
        from schoolzorg.meetings.pdf import minutes_pdf
        from schoolzorg.meetings.views import _detail_context, log_item_reads

        meeting = (
            CareMeeting.objects.filter(state__in=[MeetingState.CLOSED, MeetingState.HELD])
            .filter(items__decisions__isnull=False)
            .select_related("care_team__school")
            .order_by("-scheduled_on", "pk")
            .first()
        )
        if meeting is None:
            raise CommandError("Geen gehouden overleg met besluiten gevonden. Draai eerst `seed`.")
        coordinator = (
            CareTeamMember.objects.filter(team=meeting.care_team, role=TeamRole.SUPPORT_COORDINATOR)
            .select_related("user")
            .first()
        )
        if coordinator is None:
            raise CommandError("Dit team heeft geen intern begeleider om namens af te drukken.")
        request = RequestFactory().get("/")
        request.user = coordinator.user
        request.htmx = False  # type: ignore[attr-defined]
        with transaction.atomic():
            context = _detail_context(request, meeting)
            context["user"] = coordinator.user
            items = context["items"]
            log_item_reads(
                request,
                meeting,
                items,
                action="print",
                detail="voorbeeld-PDF (meeting_sample_pdf)",
                obj=meeting,
            )
            data = minutes_pdf(meeting, items=items, context=context)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"zorgoverleg-{meeting.scheduled_on:%Y-%m-%d}.pdf"
        path.write_bytes(data)
        self.stdout.write(f"Geschreven: {path} ({len(data)} bytes)")
