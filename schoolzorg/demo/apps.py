from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and synthetic seeds. It may import every domain app; nothing imports it."""

    name = "schoolzorg.demo"
    label = "demo"
