"""Mentorship pages: each part of the module (programmes, managers' pages, relationships,
self-selection, flash mentoring) keeps its own url module, included here."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("impactcircle.mentorship.programme_urls")),
    path("", include("impactcircle.mentorship.manager_urls")),
    path("", include("impactcircle.mentorship.dashboard_urls")),
    path("relationships/", include("impactcircle.mentorship.relationship_urls")),
    path(
        "programmes/<int:programme_id>/mentors/", include("impactcircle.mentorship.selection_urls")
    ),
    path("flash/", include("impactcircle.mentorship.flash_urls")),
]
