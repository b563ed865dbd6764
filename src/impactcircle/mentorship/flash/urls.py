"""Flash-mentoring pages, under /mentoring/flash/."""

from django.urls import URLPattern, URLResolver, path

from impactcircle.mentorship.flash import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/<int:programme_id>/", views.flash_board_page, name="flash_board"),
    path("programmes/<int:programme_id>/slots/", views.slot_new, name="flash_slot_publish"),
    path("slots/<int:slot_id>/book/", views.slot_book, name="flash_slot_book"),
    path("slots/<int:slot_id>/reschedule/", views.slot_move, name="flash_slot_reschedule"),
    path("slots/<int:slot_id>/cancel/", views.slot_withdraw, name="flash_slot_cancel"),
    path("slots/<int:slot_id>/invitation.ics", views.slot_ics, name="flash_slot_ics"),
    path("bookings/<int:booking_id>/cancel/", views.booking_withdraw, name="flash_booking_cancel"),
]
