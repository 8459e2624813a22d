from django.urls import path

from . import views

app_name = "stories"
urlpatterns = [
    path("stories/", views.story_list, name="list"),
    path("stories/<int:pk>/", views.story_detail, name="detail"),
    path("stories/<int:pk>/split/", views.split, name="split"),
    path("stories/<int:pk>/merge/", views.merge, name="merge"),
]
