from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "schoolzorg.reports"
    label = "reports"

    def ready(self) -> None:
        from schoolzorg.lib import homepanels, navigation, periodic
        from schoolzorg.reports import tasks
        from schoolzorg.reports.panels import figures_nav, figures_panel

        navigation.register("reports", figures_nav)
        homepanels.register("figures", figures_panel)
        periodic.register("refresh-figures", tasks.refresh_figures_task, 600)
