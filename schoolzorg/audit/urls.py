from django.urls import path

from schoolzorg.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.index, name="index"),
    path("gebruiker/<id:user_id>/", views.user_log, name="user_log"),
    path("leerling/<id:pupil_id>/", views.pupil_log, name="pupil_log"),
    path(
        "leerling/<id:pupil_id>/voor-ouders.pdf",
        views.pupil_log_for_parents,
        name="pupil_log_for_parents",
    ),
    path("leerling/<id:pupil_id>/wijzigingen/", views.pupil_changes, name="pupil_changes"),
    path("wijzigingen/", views.changes, name="changes"),
    path("noodtoegang/", views.break_glass, name="break_glass"),
    path("noodtoegang/beoordelen/", views.break_glass_reviews, name="break_glass_reviews"),
    path("noodtoegang/<id:pk>/beoordelen/", views.break_glass_review, name="break_glass_review"),
    path("week/", views.weekly, name="weekly"),
    path("week/<str:week>/aftekenen/", views.weekly_sign_off, name="weekly_sign_off"),
]
