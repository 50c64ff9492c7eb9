from django.urls import path

from schoolzorg.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("melden/<int:pupil_pk>/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/notitie/", views.add_event, name="add_event"),
    path("<int:pk>/status/", views.change_status, name="change_status"),
    path("<int:pk>/regisseur/", views.set_coordinator, name="set_coordinator"),
    path("<int:pk>/document/", views.upload, name="upload"),
    path("<int:pk>/contact/", views.add_contact, name="add_contact"),
    path("document/<int:pk>/", views.download, name="download"),
    path("smw/", views.caseload, name="caseload"),
    path("smw/contact/", views.add_school_contact, name="add_school_contact"),
    path("smw/uren/", views.hours, name="hours"),
    path("smw/uren/<int:provider_pk>.<str:fmt>", views.export_hours, name="export_hours"),
    path("consulten/", views.consultations, name="consultations"),
    path("consulten/nieuw/", views.consultation_new, name="consultation_new"),
    path("consulten/<int:pk>/omzetten/", views.consultation_convert, name="consultation_convert"),
]
