"""Pages of the relationship space, under /mentoring/relationships/."""

from django.urls import URLPattern, URLResolver, path

from impactcircle.mentorship.relationships import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.relationship_list, name="relationship_list"),
    path("<int:relationship_id>/", views.relationship_detail, name="relationship_detail"),
    path(
        "<int:relationship_id>/<slug:action>/",
        views.relationship_action,
        name="relationship_action",
    ),
    path(
        "<int:relationship_id>/<slug:action>/<int:item_id>/",
        views.relationship_action,
        name="relationship_item_action",
    ),
]
