from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "schoolzorg.meetings"
    label = "meetings"
    verbose_name = "Zorgoverleggen"

    def ready(self) -> None:
        from schoolzorg.meetings import panels  # noqa: F401  (registers menu item and panel)
