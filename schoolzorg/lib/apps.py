from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "schoolzorg.lib"
    label = "lib"

    def ready(self) -> None:
        from schoolzorg.lib import (
            checks,  # noqa: F401  (registers deployment checks)
            periodic,
        )
        from schoolzorg.lib.uploads import sweep_orphan_uploads_task

        periodic.register("orphan-uploads", sweep_orphan_uploads_task, 24 * 60 * 60)
