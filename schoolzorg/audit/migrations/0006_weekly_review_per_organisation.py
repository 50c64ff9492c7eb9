"""The weekly sign-off belongs to a scope owner (any organisation), no longer to a municipality.

Existing rows keep their owner: a municipality's primary key is its organisation's
(`Municipality.organisation_ptr`), so `municipality_id` becomes `organisation_id` by renaming the
column, without copying a value. Rows without a municipality (sign-offs of the whole log from
before 0005) stay without an organisation; they count as that week's sign-off for every owner
(`schoolzorg.audit.services.week_review`).
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0005_weekly_review_per_municipality"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="weeklyreview",
            name="unique_weekly_review_per_municipality",
        ),
        migrations.RemoveConstraint(
            model_name="weeklyreview",
            name="unique_weekly_review_without_municipality",
        ),
        migrations.RenameField(
            model_name="weeklyreview",
            old_name="municipality_id",
            new_name="organisation_id",
        ),
        migrations.RenameField(
            model_name="weeklyreview",
            old_name="municipality_label",
            new_name="organisation_label",
        ),
        migrations.AddConstraint(
            model_name="weeklyreview",
            constraint=models.UniqueConstraint(
                fields=("organisation_id", "week_start"),
                name="unique_weekly_review_per_organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="weeklyreview",
            constraint=models.UniqueConstraint(
                condition=models.Q(("organisation_id__isnull", True)),
                fields=("week_start",),
                name="unique_weekly_review_without_organisation",
            ),
        ),
    ]
