"""Calendar invitations (RFC 5545) for a care meeting. Times in UTC; never a pupil's name."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from schoolzorg.meetings.models import CareMeeting
from schoolzorg.meetings.workflow import MeetingState


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, continuation lines start with a space."""
    raw = line.encode("utf-8")
    if len(raw) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space counts
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting: CareMeeting, *, url: str) -> str:
    """One VEVENT for the meeting; the description links to Schoolzorg for the agenda."""
    team = meeting.care_team
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Schoolzorg//Zorgoverleg//NL",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{meeting.ics_uid}@schoolzorg",
        f"SEQUENCE:{meeting.ics_sequence}",
        f"DTSTAMP:{_utc(timezone.now())}",
        f"DTSTART:{_utc(meeting.starts())}",
        f"DTEND:{_utc(meeting.ends())}",
        f"SUMMARY:{_escape(f'{team.meeting_name} {team.school.name}')}",
        f"DESCRIPTION:{_escape('Agenda en verslag staan in Schoolzorg: ' + url)}",
        f"URL:{url}",
        "STATUS:" + ("CANCELLED" if meeting.state == MeetingState.CANCELLED else "CONFIRMED"),
        "TRANSP:OPAQUE",
    ]
    if meeting.location:
        lines.append(f"LOCATION:{_escape(meeting.location)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
