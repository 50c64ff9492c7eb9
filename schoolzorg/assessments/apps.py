from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "schoolzorg.assessments"
    label = "assessments"
