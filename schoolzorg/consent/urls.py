from django.urls import path

from schoolzorg.consent import views

app_name = "consent"
urlpatterns = [
    path("leerling/<int:pupil_id>/nieuw/", views.new, name="new"),
    path("leerling/<int:pupil_id>/grondslag/nieuw/", views.new_legal_basis, name="legal_basis_new"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("<int:pk>/formulier/", views.evidence, name="evidence"),
]
