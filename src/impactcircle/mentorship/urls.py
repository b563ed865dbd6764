"""Mentorship pages: each part of the module (programmes, managers' pages, relationships,
self-selection, flash mentoring) keeps its own url module, included here."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("impactcircle.mentorship.programmes.urls")),
    path("", include("impactcircle.mentorship.programmes.manager_urls")),
    path("", include("impactcircle.mentorship.matching.urls")),
    path("", include("impactcircle.mentorship.dashboard.urls")),
    path("relationships/", include("impactcircle.mentorship.relationships.urls")),
    path(
        "programmes/<int:programme_id>/mentors/", include("impactcircle.mentorship.selection.urls")
    ),
    path("flash/", include("impactcircle.mentorship.flash.urls")),
]
