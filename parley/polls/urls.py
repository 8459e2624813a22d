from django.urls import path

from . import views

app_name = "polls"
urlpatterns = [
    path("threads/<int:pk>/poll/vote/", views.vote, name="vote"),
    path("threads/<int:pk>/poll/new/", views.add_poll, name="add_poll"),
]
