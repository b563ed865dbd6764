from django.urls import path

from impactcircle.people import role_views, views

urlpatterns = [
    path("", views.directory, name="people_directory"),
    path("me/", views.my_profile, name="people_me"),
    path("roles/", role_views.roles, name="people_roles"),
    path("<int:user_id>/", views.profile_detail, name="people_profile"),
    path("<int:user_id>/avatar", views.avatar, name="people_avatar"),
    path(
        "<int:user_id>/edit/<slug:section>/", views.profile_section, name="people_profile_section"
    ),
]
