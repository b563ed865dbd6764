"""Self-selection pages, under /mentoring/programmes/<programme_id>/mentors/."""

from django.urls import URLPattern, URLResolver, path

from impactcircle.mentorship.selection import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.mentor_recommendations, name="selection_mentors"),
    path("requests/", views.mentor_requests, name="selection_requests"),
    path("<int:mentor_id>/ask/", views.request_new, name="selection_request_send"),
    path(
        "<int:mentor_id>/<slug:action>/",
        views.shortlist_change,
        name="selection_shortlist",
    ),
    path(
        "requests/<int:request_id>/<slug:action>/",
        views.request_answer,
        name="selection_request_answer",
    ),
]
