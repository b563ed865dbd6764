from django.urls import path

from impactcircle.mentorship import manager_views

urlpatterns = [
    path("programmes/<int:programme_id>/manage/", manager_views.manage, name="mentorship_manage"),
    path(
        "programmes/<int:programme_id>/runs/", manager_views.start_run, name="mentorship_start_run"
    ),
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
    path("runs/<int:run_id>/", manager_views.run_detail, name="mentorship_run"),
    path("runs/<int:run_id>/pairs/", manager_views.pair_rule, name="mentorship_pair_rule"),
    path("runs/<int:run_id>/publish/", manager_views.publish, name="mentorship_publish"),
    path(
        "runs/<int:run_id>/compare/<int:other_id>/",
        manager_views.compare,
        name="mentorship_compare",
    ),
]
