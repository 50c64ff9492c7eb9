from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "schoolzorg.lib"
    label = "lib"

    def ready(self) -> None:
        from schoolzorg.lib import checks  # noqa: F401  (registers deployment checks)
