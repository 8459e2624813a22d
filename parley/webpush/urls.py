from django.urls import path

from . import views

app_name = "webpush"
urlpatterns = [
    path("account/push/", views.devices, name="devices"),
    path("account/push/subscribe/", views.subscribe, name="subscribe"),
    path("account/push/unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("account/push/key/", views.public_key, name="public_key"),
    path("account/push/devices/<int:pk>/remove/", views.remove_device, name="remove_device"),
    path("sw.js", views.service_worker, name="service_worker"),
]
