"""PostgreSQL's `unaccent` extension, for a name search blind to accents (lib.textsearch).

A trusted extension since PostgreSQL 13: the database's owner may create it. Nothing on SQLite,
which gets the function from Python on every connection.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("pupils", "0003_date_of_birth_index")]

    operations = [UnaccentExtension()]
