from __future__ import annotations

import datetime as dt

import pytest

from schoolzorg.referrals import figures, services
from schoolzorg.referrals.models import Referral
from schoolzorg.referrals.tests.factories import another_pupil, make_world, submitted

pytestmark = pytest.mark.django_db


def test_figures_give_lead_times_handover_share_and_escalations_per_team_and_month() -> None:
    world = make_world()
    monday = dt.date(2025, 3, 3)
    referral = submitted(world, today=monday)
    services.acknowledge_referral(referral, by=world.worker, today=dt.date(2025, 3, 4))
    services.plan_handover(
        referral,
        by=world.worker,
        on=dt.date(2025, 3, 20),
        place="School",
        participants="allen",
        parents_invited=True,
        today=dt.date(2025, 3, 12),
    )
    services.hold_handover(
        referral, by=world.worker, held_on=dt.date(2025, 3, 20), today=dt.date(2025, 3, 20)
    )
    services.escalate_referral(referral, by=world.smw, reason="waiting_list", note="wachtlijst")

    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    times = {r.step: r for r in figures.lead_time_per_step(start, end, by="team")}
    assert times["acknowledge"].mean_days == 1 and times["acknowledge"].unit_name == "Wijkteam Oost"
    assert times["plan_handover"].median_days == 6  # school days: 4 to 12 March, no weekend
    assert times["acknowledge"].month == dt.date(2025, 3, 1)
    assert "total" not in times  # no first contact yet

    [share] = figures.warm_handovers_within_norm(start, end, by="school")
    assert (share.held, share.within_norm, share.share) == (1, 0, 0.0)  # due 17 March

    [esc] = figures.escalations_by_reason_and_level(dt.date(2020, 1, 1), dt.date(2030, 1, 1))
    assert (esc.reason, esc.level, esc.count, esc.unit_name) == (
        "waiting_list",
        1,
        1,
        "Wijkteam Oost",
    )


def test_a_step_whose_saved_dates_run_backwards_is_left_out_of_its_lead_time() -> None:
    world = make_world()
    good = submitted(world, today=dt.date(2025, 3, 3))
    services.acknowledge_referral(good, by=world.worker, today=dt.date(2025, 3, 5))
    bad = submitted(world, today=dt.date(2025, 3, 3), pupil=another_pupil(world))
    services.acknowledge_referral(bad, by=world.worker, today=dt.date(2025, 3, 4))
    # Saved before step dates were checked: acknowledged a century before it was sent.
    type(bad).objects.filter(pk=bad.pk).update(acknowledged_on=dt.date(1925, 3, 4))

    times = figures.lead_time_per_step(dt.date(2025, 1, 1), dt.date(2025, 12, 31), by="team")
    [ack] = [t for t in times if t.step == "acknowledge"]
    assert (ack.count, ack.mean_days) == (1, 2)


def test_lead_times_are_school_days_of_the_region_in_the_month_the_step_was_done() -> None:
    from schoolzorg.calendars.tests.factories import SchoolHolidayFactory

    world = make_world()  # the school is in region "midden"
    SchoolHolidayFactory(
        region="midden", start_on=dt.date(2025, 3, 1), end_on=dt.date(2025, 3, 9), name="Krokus"
    )
    SchoolHolidayFactory(
        region="noord", start_on=dt.date(2025, 3, 10), end_on=dt.date(2025, 3, 16), name="Noord"
    )
    referral = submitted(world, today=dt.date(2025, 2, 28))  # a Friday
    services.acknowledge_referral(referral, by=world.worker, today=dt.date(2025, 3, 11))

    times = figures.lead_time_per_step(dt.date(2025, 1, 1), dt.date(2025, 12, 31), by="team")
    [ack] = [t for t in times if t.step == "acknowledge"]
    # 11 calendar days; the weekend before the holiday, the holiday itself and its last
    # weekend are no school days: Monday 10 and Tuesday 11 March are.
    assert ack.median_days == 2
    assert ack.month == dt.date(2025, 3, 1)  # done in March, though sent in February

    # A step done after the period is not in it, even when the referral was sent within it.
    february = figures.lead_time_per_step(dt.date(2025, 2, 1), dt.date(2025, 2, 28), by="team")
    assert [t for t in february if t.step == "acknowledge"] == []


def test_lead_times_take_a_fixed_number_of_queries() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolzorg.calendars import workingdays
    from schoolzorg.organisations.tests.factories import SchoolFactory

    world = make_world()

    def measure() -> int:
        workingdays.clear_cache()
        with CaptureQueriesContext(connection) as ctx:
            figures.lead_time_per_step(dt.date(2025, 1, 1), dt.date(2025, 12, 31), by="team")
        return len(ctx.captured_queries)

    first = submitted(world, today=dt.date(2025, 3, 3))
    services.acknowledge_referral(first, by=world.worker, today=dt.date(2025, 3, 5))
    one = measure()
    for region in ("midden", "noord", "zuid", "noord"):
        referral = submitted(world, today=dt.date(2025, 3, 3), pupil=another_pupil(world))
        services.acknowledge_referral(referral, by=world.worker, today=dt.date(2025, 3, 6))
        school = SchoolFactory(municipality=world.town, holiday_region=region)
        Referral.objects.filter(pk=referral.pk).update(school=school)
    # Four more referrals at four more schools: at most one more query per region (noord, zuid).
    assert measure() <= one + 2
