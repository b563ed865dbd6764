from django.urls import path

from impactcircle.mentorship.programmes import views as programme_views

urlpatterns = [
    path("", programme_views.programme_list, name="mentorship_programmes"),
    path("programmes/new/", programme_views.programme_new, name="mentorship_programme_new"),
    path(
        "programmes/<int:programme_id>/",
        programme_views.programme_detail,
        name="mentorship_programme",
    ),
    path(
        "programmes/<int:programme_id>/apply/<slug:side>/",
        programme_views.programme_apply,
        name="mentorship_apply",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        programme_views.application_withdraw_view,
        name="mentorship_application_withdraw",
    ),
]
