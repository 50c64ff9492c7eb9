from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "schoolzorg.cases"
    label = "cases"
