from django.urls import path

from impactcircle.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<int:notification_id>/read/", views.notification_read, name="notification_read"),
    path("<int:notification_id>/open/", views.notification_open, name="notification_open"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("settings/", views.preferences, name="notification_preferences"),
    path("settings/<slug:category>/", views.preference_save, name="notification_preference_save"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notification_unsubscribe"),
]
