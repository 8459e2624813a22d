from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("online/", views.online, name="online"),
    path("members/<str:username>/follow/", views.follow, name="follow"),
    path("members/<str:username>/unfollow/", views.unfollow, name="unfollow"),
    path("members/<str:username>/ignore/", views.ignore, name="ignore"),
    path("members/<str:username>/unignore/", views.unignore, name="unignore"),
    path("account/ignored/", views.ignored, name="ignored"),
    path("account/fields/", views.edit_fields, name="edit_fields"),
]
