"""Mentorship pages: each part of the module (programmes, relationships, self-selection, flash
mentoring) keeps its own url module, included here."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
