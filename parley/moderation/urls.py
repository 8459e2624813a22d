from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.queue, name="queue"),
    path("moderation/log/", views.log, name="log"),
    path("moderation/reports/<int:pk>/", views.case_detail, name="case"),
    path("moderation/posts/<int:pk>/delete/", views.delete_post, name="delete_post"),
    path("moderation/posts/<int:pk>/restore/", views.restore_post, name="restore_post"),
    path("moderation/posts/<int:pk>/approve/", views.approve_post, name="approve_post"),
    path("moderation/posts/<int:pk>/reject/", views.reject_post, name="reject_post"),
    path("moderation/posts/<int:pk>/warn/", views.warn, name="warn"),
    path("moderation/threads/<int:pk>/", views.thread_action, name="thread_action"),
    path("moderation/threads/<int:pk>/posts/", views.bulk_posts, name="bulk_posts"),
    path("moderation/forums/<int:pk>/threads/", views.bulk_threads, name="bulk_threads"),
    path("moderation/members/<str:username>/ban/", views.ban, name="ban"),
    path(
        "moderation/members/<str:username>/spam-clean/", views.clean_spammer, name="clean_spammer"
    ),
    path("posts/<int:pk>/report/", views.report, name="report"),
    path("account/warnings/", views.my_warnings, name="my_warnings"),
]
