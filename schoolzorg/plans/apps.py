from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "schoolzorg.plans"
    label = "plans"
