"""Take the full postcode out of route reasons stored before the route left it out.

A referral's route ("Woonwijk Oost (op postcode 3503 AB) → Wijkteam Oost") and the timeline
lines that repeat it are read by everyone who sees the referral's progress, the team after the
ground for sharing ended and the service desk included. A six-position postcode is part of the
home address, the pupil's file (tester W1); `routing.route_for` no longer writes it. The
wording is the one it writes now.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

FULL_POSTCODE = re.compile(r" \(op postcode [^)]*\)")
UNKNOWN = re.compile(r"Postcode .{1,8}? is niet bekend\. Kies zelf het wijkteam\.")

FROM_POSTCODE = " (volgens de postcode van het woonadres)"
UNKNOWN_POSTCODE = (
    "De postcode van het woonadres staat niet in de postcodetabel. Kies zelf het wijkteam."
)


def without_postcode(text: str) -> str:
    return UNKNOWN.sub(UNKNOWN_POSTCODE, FULL_POSTCODE.sub(FROM_POSTCODE, text))


def strip_postcodes(apps: Any, schema_editor: Any) -> None:
    Referral = apps.get_model("referrals", "Referral")
    ReferralEvent = apps.get_model("referrals", "ReferralEvent")
    # The route itself, and the timeline lines that repeat it (`services.create_referral`,
    # `services.route_again`); other lines are the users' own words.
    for found, field, length in (
        (Referral.objects.all(), "routing_note", 300),
        (ReferralEvent.objects.filter(kind__in=["created", "rerouted"]), "text", 500),
    ):
        Model = found.model
        for pk, text in found.filter(**{f"{field}__contains": "ostcode "}).values_list(
            "pk", field
        ):
            new = without_postcode(text)[:length]
            if new != text:
                Model.objects.filter(pk=pk).update(**{field: new})


class Migration(migrations.Migration):
    dependencies = [("referrals", "0007_handover_consent_wait_from")]

    operations = [migrations.RunPython(strip_postcodes, migrations.RunPython.noop)]
