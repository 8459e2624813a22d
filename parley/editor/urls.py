from django.urls import path

from . import views

app_name = "editor"
urlpatterns = [
    path("editor/preview/", views.preview, name="preview"),
    path("editor/quotes/", views.quotes, name="quotes"),
    path("threads/<int:pk>/draft/", views.save_reply_draft, name="reply_draft"),
    path("forums/<int:pk>/draft/", views.save_thread_draft, name="thread_draft"),
]
