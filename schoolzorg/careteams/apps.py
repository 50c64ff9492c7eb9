from django.apps import AppConfig


class CareteamsConfig(AppConfig):
    name = "schoolzorg.careteams"
    label = "careteams"
    verbose_name = "Schoolzorgteams"

    def ready(self) -> None:
        from schoolzorg.careteams import panels  # noqa: F401  (registers the menu item)
