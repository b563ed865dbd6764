from django.urls import path

from impactcircle.accounts import views

urlpatterns = [
    path("", views.account_overview, name="account_overview"),
    path("tokens/", views.access_token_create_view, name="access_token_create"),
    path(
        "tokens/<int:token_id>/revoke/", views.access_token_revoke_view, name="access_token_revoke"
    ),
]
