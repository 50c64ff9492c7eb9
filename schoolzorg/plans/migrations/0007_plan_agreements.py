"""Keep every parent's agreement to the plan (PlanAgreement) instead of one per plan.

The plan's one agreed_by/agreed_on/agreed_version/agreement_note became one PlanAgreement each;
who recorded it and when come from the version the recording made, where that version is kept.
The action's "domein" is called "aan zet" everywhere now (its verbose name only).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_agreements(apps, schema_editor):
    IntegralPlan = apps.get_model("plans", "IntegralPlan")
    PlanAgreement = apps.get_model("plans", "PlanAgreement")
    PlanVersion = apps.get_model("plans", "PlanVersion")
    plans = IntegralPlan.objects.filter(agreed_on__isnull=False, agreed_by__isnull=False)
    for plan in plans.iterator():
        number = plan.agreed_version or plan.version
        made = PlanVersion.objects.filter(plan_id=plan.pk, number=number).first()
        PlanAgreement.objects.create(
            plan_id=plan.pk,
            guardian_id=plan.agreed_by_id,
            agreed_on=plan.agreed_on,
            plan_version=number,
            note=plan.agreement_note,
            recorded_by_id=made.created_by_id if made else plan.updated_by_id,
            recorded_at=made.created_at if made else plan.updated_at,
        )
    if schema_editor.connection.vendor == "postgresql":
        # The new rows' deferred key checks must run before the plan table is altered below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def move_back(apps, schema_editor):
    """Back to one agreement per plan: the latest one."""
    IntegralPlan = apps.get_model("plans", "IntegralPlan")
    PlanAgreement = apps.get_model("plans", "PlanAgreement")
    for agreement in PlanAgreement.objects.order_by("plan_id", "plan_version", "pk").iterator():
        IntegralPlan.objects.filter(pk=agreement.plan_id).update(
            agreed_on=agreement.agreed_on,
            agreed_by_id=agreement.guardian_id,
            agreed_version=agreement.plan_version,
            agreement_note=agreement.note,
        )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0006_review_stop_reason'),
        ('pupils', '0004_unaccent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PlanAgreement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('agreed_on', models.DateField(verbose_name='akkoord gegeven op')),
                ('plan_version', models.PositiveIntegerField(verbose_name='versie van het plan')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='toelichting')),
                ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('form_token', models.UUIDField(blank=True, editable=False, null=True, unique=True)),
                ('guardian', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plan_agreements', to='pupils.guardian', verbose_name='ouder of verzorger')),
                ('plan', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='agreements', to='plans.integralplan')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'akkoord van een ouder',
                'verbose_name_plural': 'akkoorden van ouders',
                'ordering': ['plan_version', 'pk'],
                'constraints': [models.UniqueConstraint(fields=('plan', 'plan_version'), name='one_agreement_per_plan_version')],
            },
        ),
        migrations.RunPython(move_agreements, move_back),
        migrations.RemoveField(
            model_name='integralplan',
            name='agreed_by',
        ),
        migrations.RemoveField(
            model_name='integralplan',
            name='agreed_on',
        ),
        migrations.RemoveField(
            model_name='integralplan',
            name='agreed_version',
        ),
        migrations.RemoveField(
            model_name='integralplan',
            name='agreement_note',
        ),
        migrations.AlterField(
            model_name='action',
            name='domain',
            field=models.CharField(choices=[('school', 'School'), ('school_social_work', 'Schoolmaatschappelijk werk'), ('neighbourhood_team', 'Wijkteam'), ('family', 'Gezin'), ('network', 'Netwerk (familie, buren, vrienden)'), ('other', 'Anders')], max_length=32, verbose_name='aan zet'),
        ),
    ]
