from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "schoolzorg.consent"
    label = "consent"

    def ready(self) -> None:
        from schoolzorg.consent import sections  # noqa: F401  (pupil page section)
        from schoolzorg.consent.relationships import CARE_TEAM
        from schoolzorg.pupils.access import register_relationship

        register_relationship(CARE_TEAM)
