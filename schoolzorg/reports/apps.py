from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "schoolzorg.reports"
    label = "reports"
