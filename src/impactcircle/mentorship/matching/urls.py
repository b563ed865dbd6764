from django.urls import path

from impactcircle.mentorship.matching import views

urlpatterns = [
    path("programmes/<int:programme_id>/runs/", views.start_run, name="mentorship_start_run"),
    path("runs/<int:run_id>/", views.run_detail, name="mentorship_run"),
    path("runs/<int:run_id>/pairs/", views.pair_rule, name="mentorship_pair_rule"),
    path("runs/<int:run_id>/publish/", views.publish, name="mentorship_publish"),
    path(
        "runs/<int:run_id>/compare/<int:other_id>/",
        views.compare,
        name="mentorship_compare",
    ),
]
