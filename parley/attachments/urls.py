from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("attachments/upload/", views.upload, name="upload"),
    path("attachments/<int:pk>/", views.attachment_file, name="file"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumb, name="thumb"),
    path("avatars/<int:member_id>/<int:version>/<int:size>/", views.avatar, name="avatar"),
    path("account/avatar/", views.edit_avatar, name="avatar_edit"),
]
