from django.urls import path

from schoolzorg.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("team/<id:team_pk>/ritme/", views.schedule, name="schedule"),
    path("team/<id:team_pk>/nieuw/", views.create, name="create"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/agenda/", views.agenda_builder, name="agenda"),
    path("<id:pk>/agenda/plaatsen/", views.place, name="place"),
    path("<id:pk>/agenda/punt/", views.add_item, name="add_item"),
    path("<id:pk>/aanwezigheid/", views.attendance, name="attendance"),
    path("<id:pk>/gasten/", views.add_guest, name="add_guest"),
    path("<id:pk>/stap/", views.move, name="move"),
    path("<id:pk>/verzetten/", views.reschedule, name="reschedule"),
    path("<id:pk>/uitnodiging.ics", views.ics, name="ics"),
    path("<id:pk>/verslag.pdf", views.print_pdf, name="pdf"),
    path("punt/<id:pk>/verslag/", views.save_minutes, name="minutes"),
    path("punt/<id:pk>/besluit/", views.decide, name="decide"),
    path("punt/<id:pk>/verslag.pdf", views.print_item_pdf, name="item_pdf"),
    path("punt/<id:pk>/verwijderen/", views.remove_item, name="remove_item"),
    path("gast/<id:pk>/verwijderen/", views.remove_guest, name="remove_guest"),
    path("gast/<id:pk>/ter-correctie/", views.send_correction, name="send_correction"),
    path("gast/<id:pk>/reactie/", views.record_correction, name="record_correction"),
]
