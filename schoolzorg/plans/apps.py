from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "schoolzorg.plans"
    label = "plans"
    verbose_name = "Integrale plannen"

    def ready(self) -> None:
        # Registers the "named on a plan" relationship, panels and the pupil page section.
        from schoolzorg.plans import registrations  # noqa: F401
