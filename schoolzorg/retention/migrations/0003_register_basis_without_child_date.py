"""Strip the day the file ended from register lines written before the register left it out.

That day is a date of the child, and the register keeps none (ADR 0701).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

ENDED = re.compile(r" \(geëindigd [0-9-]+\)$")


def strip_child_dates(apps: Any, schema_editor: Any) -> None:
    DestructionRecord = apps.get_model("retention", "DestructionRecord")
    lines = DestructionRecord.objects.filter(basis__contains="(geëindigd ")
    for pk, basis in lines.values_list("pk", "basis"):
        DestructionRecord.objects.filter(pk=pk).update(basis=ENDED.sub("", basis))


class Migration(migrations.Migration):
    dependencies = [("retention", "0002_request_lapsed")]

    operations = [migrations.RunPython(strip_child_dates, migrations.RunPython.noop)]
