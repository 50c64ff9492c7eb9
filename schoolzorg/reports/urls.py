from django.urls import path

from schoolzorg.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="export"),
    path("_vloer/", views.floor, name="floor"),
]
