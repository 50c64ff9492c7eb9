from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "schoolzorg.retention"
    label = "retention"
    verbose_name = "Bewaartermijnen"

    def ready(self) -> None:
        from schoolzorg.lib import periodic
        from schoolzorg.retention import sections  # noqa: F401  (pupil page, menu)
        from schoolzorg.retention.tasks import destroy_expired_files

        # Daily: a file is due on a date, so once a day destroys it on that day.
        periodic.register("retention", destroy_expired_files, 24 * 60 * 60)
