from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("threads/<int:pk>/watch/", views.watch_thread, name="watch_thread"),
    path("threads/<int:pk>/unread/", views.first_unread, name="first_unread"),
    path("forums/<int:pk>/watch/", views.watch_forum, name="watch_forum"),
    path("forums/<int:pk>/mark-read/", views.mark_forum_read, name="mark_forum_read"),
    path("mark-all-read/", views.mark_all_read, name="mark_all_read"),
    path("watched/", views.watched, name="watched"),
    path("watched/auto/", views.auto_watch, name="auto_watch"),
    path("whats-new/", views.whats_new, name="whats_new"),
]
