from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from schoolzorg.careteams.completeness import assess, norm_hours_for
from schoolzorg.careteams.models import CareTeam
from schoolzorg.meetings.models import AgendaItem, CareMeeting, Decision
from schoolzorg.meetings.workflow import MeetingState

pytestmark = pytest.mark.django_db


def test_demo_has_teams_one_below_norm_past_minutes_and_a_next_agenda(tmp_path):
    call_command("seed", "--scale", "demo", stdout=StringIO())
    teams = list(CareTeam.objects.select_related("school"))
    assert len(teams) == 12
    incomplete = [
        t
        for t in teams
        if not assess(t.members.current(), norm_hours=norm_hours_for(t)).is_complete
    ]
    assert len(incomplete) == 1
    assert CareMeeting.objects.filter(state=MeetingState.CLOSED).exists()
    assert Decision.objects.filter(plan_action__isnull=False).exists()
    assert AgendaItem.objects.filter(meeting__state=MeetingState.PLANNED).exists()
    call_command("meeting_sample_pdf", "--out", str(tmp_path), stdout=StringIO())
    pdfs = list(tmp_path.glob("*.pdf"))
    assert pdfs and pdfs[0].read_bytes().startswith(b"%PDF")
