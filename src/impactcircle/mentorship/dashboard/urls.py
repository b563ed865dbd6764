from django.urls import path

from impactcircle.mentorship.dashboard import views as dashboard_views

urlpatterns = [
    path(
        "programmes/<int:programme_id>/dashboard/",
        dashboard_views.dashboard,
        name="mentorship_dashboard",
    ),
    path(
        "programmes/<int:programme_id>/dashboard.csv",
        dashboard_views.dashboard_export,
        name="mentorship_dashboard_csv",
    ),
]
