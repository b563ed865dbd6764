from django.contrib import admin
from django.urls import include, path

from impactcircle.config.api import api
from impactcircle.core import views as core_views

admin.site.site_header = "ImpactCircle administration"
admin.site.site_title = "ImpactCircle admin"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("impactcircle.accounts.urls")),
    path("people/", include("impactcircle.people.urls")),
    path("mentoring/", include("impactcircle.mentorship.urls")),
    path("notifications/", include("impactcircle.notifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
