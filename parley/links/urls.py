from django.urls import path

from . import views

app_name = "links"
urlpatterns = [
    path("links/search/", views.search_by_link, name="search"),
    path("links/discussed.json", views.discussed, name="discussed"),
    path("links/posts/<int:pk>.json", views.post_preview_state, name="post_state"),
    path("links/pages/<int:pk>/history/", views.article_history, name="history"),
]
