from django.urls import path

from schoolzorg.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("melden/<id:pupil_pk>/", views.register, name="register"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/notitie/", views.add_event, name="add_event"),
    path("<id:pk>/status/", views.change_status, name="change_status"),
    path("<id:pk>/regisseur/", views.set_coordinator, name="set_coordinator"),
    path("<id:pk>/document/", views.upload, name="upload"),
    path("<id:pk>/contact/", views.add_contact, name="add_contact"),
    path("document/<id:pk>/", views.download, name="download"),
    path("smw/", views.caseload, name="caseload"),
    path("smw/contact/", views.add_school_contact, name="add_school_contact"),
    path("smw/uren/", views.hours, name="hours"),
    path("smw/uren/<id:provider_pk>.<str:fmt>", views.export_hours, name="export_hours"),
    path("consulten/", views.consultations, name="consultations"),
    path("consulten/nieuw/", views.consultation_new, name="consultation_new"),
    path("consulten/<id:pk>/omzetten/", views.consultation_convert, name="consultation_convert"),
]
