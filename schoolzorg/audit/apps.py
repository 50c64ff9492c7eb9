from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "schoolzorg.audit"
    label = "audit"

    def ready(self) -> None:
        from schoolzorg.audit import sections  # noqa: F401  (pupil page: wie keek, wijzigingen)
        from schoolzorg.audit.history import register_core_models
        from schoolzorg.audit.tasks import seal_access_log
        from schoolzorg.lib import periodic

        periodic.register("seal-access-log", seal_access_log, 60)
        register_core_models()
