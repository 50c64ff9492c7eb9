from django.urls import path

from schoolzorg.careteams import views

app_name = "careteams"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("school/<id:school_pk>/", views.team_detail, name="detail"),
    path("school/<id:school_pk>/leden/nieuw/", views.add_member, name="add_member"),
    path("leden/<id:pk>/einde/", views.end_member, name="end_member"),
    path("leden/<id:pk>/uren/", views.change_hours, name="change_hours"),
    path("leden/<id:pk>/aanwezigheid/", views.add_slot, name="add_slot"),
    path("aanwezigheid/<id:pk>/verwijderen/", views.remove_slot, name="remove_slot"),
]
