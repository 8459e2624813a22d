from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.alert_list, name="list"),
    path("alerts/<int:pk>/", views.open_alert, name="open"),
    path("alerts/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("alerts/read-all/", views.mark_all_read, name="mark_all_read"),
    path("account/alerts/", views.preference_page, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
