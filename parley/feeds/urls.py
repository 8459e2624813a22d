from django.urls import path, register_converter

from . import views


class FeedFormat:
    regex = "rss|atom"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedFormat, "feedformat")

app_name = "feeds"
urlpatterns = [
    path("feeds/threads.<feedformat:fmt>", views.site_feed, name="site"),
    path("forums/<int:forum_id>/feed.<feedformat:fmt>", views.forum_feed, name="forum"),
    path("threads/<int:thread_id>/feed.<feedformat:fmt>", views.thread_feed, name="thread"),
    path("tags/<str:slug>/feed.<feedformat:fmt>", views.tag_feed, name="tag"),
]
