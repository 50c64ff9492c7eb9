from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "schoolzorg.lib"
    label = "lib"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models import fields
        from django.urls.converters import get_converters, register_converter

        from schoolzorg.lib import (
            checks,  # noqa: F401  (registers deployment checks)
            periodic,
        )
        from schoolzorg.lib.converters import IdConverter
        from schoolzorg.lib.forms import EMPTY_CHOICE
        from schoolzorg.lib.taskresults import prune_task_results_task
        from schoolzorg.lib.textsearch import add_sqlite_function
        from schoolzorg.lib.uploads import sweep_orphan_uploads_task

        # `<id:pk>` in every app's URLs: an id too long for the database is "Niet gevonden".
        if "id" not in get_converters():  # ready() runs again when a test swaps the apps
            register_converter(IdConverter, "id")

        # UNACCENT for SQLite, as PostgreSQL's extension gives it (accent-blind name search).
        connection_created.connect(add_sqlite_function, dispatch_uid="lib.textsearch")

        periodic.register("orphan-uploads", sweep_orphan_uploads_task, 24 * 60 * 60)
        periodic.register("task-results", prune_task_results_task, 24 * 60 * 60)
        # The empty choice of a list ("- Select an option -" since Django 6.1, which has no Dutch
        # translation of it yet); Django lets an app's ready() set it.
        fields.BLANK_CHOICE_LABEL = EMPTY_CHOICE
