from django.urls import path

from . import views

app_name = "sources"
urlpatterns = [
    path("staff/sources/", views.source_list, name="list"),
    path("staff/sources/edit/", views.edit_source, name="edit"),
    path("staff/sources/<int:pk>/policy/", views.set_policy, name="policy"),
]
