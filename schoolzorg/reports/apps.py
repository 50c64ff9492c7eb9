from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "schoolzorg.reports"
    label = "reports"

    def ready(self) -> None:
        from schoolzorg.lib import navigation, periodic
        from schoolzorg.reports import tasks
        from schoolzorg.reports.panels import figures_nav

        navigation.register("reports", figures_nav)
        periodic.register("refresh-figures", tasks.refresh_figures_task, 600)
