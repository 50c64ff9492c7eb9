from django.urls import path

from schoolzorg.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("team/<int:team_pk>/ritme/", views.schedule, name="schedule"),
    path("team/<int:team_pk>/nieuw/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/agenda/", views.agenda_builder, name="agenda"),
    path("<int:pk>/agenda/plaatsen/", views.place, name="place"),
    path("<int:pk>/agenda/punt/", views.add_item, name="add_item"),
    path("<int:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("<int:pk>/gasten/", views.add_guest, name="add_guest"),
    path("<int:pk>/stap/", views.move, name="move"),
    path("<int:pk>/uitnodiging.ics", views.ics, name="ics"),
    path("<int:pk>/verslag.pdf", views.print_pdf, name="pdf"),
    path("punt/<int:pk>/verslag/", views.save_minutes, name="minutes"),
    path("punt/<int:pk>/besluit/", views.decide, name="decide"),
    path("punt/<int:pk>/verwijderen/", views.remove_item, name="remove_item"),
    path("gast/<int:pk>/ter-correctie/", views.send_correction, name="send_correction"),
    path("gast/<int:pk>/reactie/", views.record_correction, name="record_correction"),
]
