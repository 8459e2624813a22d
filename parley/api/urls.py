"""The account page for personal API tokens; the API itself is mounted in parley/urls.py."""

from django.urls import path

from . import views

app_name = "api"
urlpatterns = [
    path("account/api-tokens/", views.tokens_page, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]
