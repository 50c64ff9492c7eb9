from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "schoolzorg.audit"
    label = "audit"

    def ready(self) -> None:
        from schoolzorg.audit import (  # noqa: F401  (register the "Mijn werk" panel, the pupil page's sections)
            panels,
            sections,
        )
        from schoolzorg.audit.history import register_core_models
        from schoolzorg.audit.tasks import (
            count_last_weeks_reads,
            ensure_access_log_partitions,
            seal_access_log,
        )
        from schoolzorg.lib import periodic

        periodic.register("seal-access-log", seal_access_log, 60)
        # Daily; partitions are made three months ahead, so a few missed days do no harm.
        periodic.register("access-log-partitions", ensure_access_log_partitions, 24 * 60 * 60)
        # Hourly; counts each organisation's last week once, so a report of it opens at once.
        periodic.register("weekly-read-counts", count_last_weeks_reads, 60 * 60)
        register_core_models()
