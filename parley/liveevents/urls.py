from django.urls import path

from . import views

app_name = "liveevents"
urlpatterns = [
    path("threads/<int:pk>/live/", views.live_settings, name="settings"),
    path("threads/<int:pk>/timeline/pin/", views.pin, name="pin"),
    path("timeline/<int:pk>/edit/", views.edit_entry, name="edit_entry"),
    path("timeline/<int:pk>/unpin/", views.unpin, name="unpin"),
]
