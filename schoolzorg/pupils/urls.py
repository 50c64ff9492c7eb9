from django.urls import path

from schoolzorg.pupils import views

app_name = "pupils"
urlpatterns = [
    path("", views.search, name="search"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/verhuizing/", views.record_move, name="move"),
]
