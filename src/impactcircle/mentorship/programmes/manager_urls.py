from django.urls import path

from impactcircle.mentorship.programmes import manager_views

urlpatterns = [
    path("programmes/<int:programme_id>/manage/", manager_views.manage, name="mentorship_manage"),
    path(
        "programmes/<int:programme_id>/questions/",
        manager_views.add_question,
        name="mentorship_add_question",
    ),
    path(
        "programmes/<int:programme_id>/invitations/", manager_views.invite, name="mentorship_invite"
    ),
    path("programmes/<int:programme_id>/repeat/", manager_views.repeat, name="mentorship_repeat"),
    path(
        "applications/<int:application_id>/decide/", manager_views.decide, name="mentorship_decide"
    ),
]
