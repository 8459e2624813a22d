from django.urls import path

from . import views

app_name = "forums"
urlpatterns = [
    path("", views.index, name="index"),
    path("forums/<int:pk>/", views.forum_detail, name="forum"),
    path("forums/<int:pk>/new/", views.start_thread, name="start_thread"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("posts/<int:pk>/", views.post_redirect, name="post"),
    path("posts/<int:pk>/fragment/", views.post_fragment, name="post_fragment"),
    path("posts/<int:pk>/edit/", views.edit_post, name="edit_post"),
    path("posts/<int:pk>/history/", views.post_history, name="post_history"),
    path("posts/<int:pk>/react/", views.react, name="react"),
    path("posts/<int:pk>/reactions/", views.post_reactions, name="post_reactions"),
]
