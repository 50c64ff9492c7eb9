"""A request closed without a decision (the file went by its period or by another request) is
"lapsed", no longer "carried out". Such requests were closed with no decider: a carried-out
request always has one (`services.carry_out_request`)."""

from django.db import migrations, models


def mark_lapsed(apps, schema_editor):
    DestructionRequest = apps.get_model("retention", "DestructionRequest")
    DestructionRequest.objects.filter(state="carried_out", decided_by__isnull=True).update(
        state="lapsed"
    )


def unmark_lapsed(apps, schema_editor):
    DestructionRequest = apps.get_model("retention", "DestructionRequest")
    DestructionRequest.objects.filter(state="lapsed").update(state="carried_out")


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="destructionrequest",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "Nog niet besloten"),
                    ("carried_out", "Uitgevoerd: dossier vernietigd"),
                    ("refused", "Geweigerd"),
                    ("lapsed", "Vervallen: het dossier is al vernietigd"),
                ],
                db_index=True,
                default="open",
                max_length=16,
            ),
        ),
        migrations.RunPython(mark_lapsed, unmark_lapsed),
    ]
