"""Load the shipped instrument definitions (data/instruments/*.yaml), so every installation and
every test database has them. Later versions come with `schoolzorg load-instruments`."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from schoolzorg.assessments import definitions

    model = apps.get_model("assessments", "InstrumentDefinition")
    for path in definitions.shipped_files():
        data = definitions.read_file(path)
        if model.objects.filter(
            code=data["code"], version=data["version"], organisation__isnull=True
        ).exists():
            continue
        model.objects.create(
            code=data["code"],
            version=data["version"],
            title=data["title"],
            source_label=data["source_label"],
            definition=data,
            is_licensed=bool(data.get("is_licensed", False)),
            content_hash=definitions.content_hash(data),
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
