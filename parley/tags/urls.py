from django.urls import path

from . import views

app_name = "tags"
urlpatterns = [
    path("tags/<str:slug>/", views.tag_page, name="tag"),
    path("threads/<int:pk>/labels/", views.edit_labels, name="edit_labels"),
]
