from django.urls import path

from schoolzorg.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.register, name="register"),
    path("leerling/<id:pupil_pk>/verzoek/", views.new_request, name="new_request"),
    path("verzoek/<id:pk>/", views.detail, name="detail"),
    path("verzoek/<id:pk>/weigeren/", views.refuse, name="refuse"),
    path("verzoek/<id:pk>/vernietigen/", views.carry_out, name="carry_out"),
]
