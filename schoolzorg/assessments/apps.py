from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "schoolzorg.assessments"
    label = "assessments"
    verbose_name = "Instrumenten"

    def ready(self) -> None:
        from schoolzorg.assessments import sections

        sections.register_all()
