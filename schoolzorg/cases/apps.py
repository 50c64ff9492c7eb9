from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "schoolzorg.cases"
    label = "cases"
    verbose_name = "Casussen"

    def ready(self) -> None:
        # Registers the "named on a case" relationship, menu items, panels and pupil sections.
        from schoolzorg.cases import registrations  # noqa: F401
