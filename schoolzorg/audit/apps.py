from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "schoolzorg.audit"
    label = "audit"
