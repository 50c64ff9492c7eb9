from django.urls import path

from schoolzorg.consent import views

app_name = "consent"
urlpatterns = [
    path("leerling/<id:pupil_id>/nieuw/", views.new, name="new"),
    path("leerling/<id:pupil_id>/grondslag/nieuw/", views.new_legal_basis, name="legal_basis_new"),
    path("<id:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("<id:pk>/aanvullen/", views.complete, name="complete"),
    path("<id:pk>/formulier/", views.evidence, name="evidence"),
]
