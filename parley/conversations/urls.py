from django.urls import path

from . import views

app_name = "conversations"
urlpatterns = [
    path("conversations/", views.conversation_list, name="list"),
    path("conversations/new/", views.start, name="start"),
    path("conversations/preferences/", views.preferences, name="preferences"),
    path("conversations/<int:pk>/", views.detail, name="detail"),
    path("conversations/<int:pk>/reply/", views.reply, name="reply"),
    path("conversations/<int:pk>/invite/", views.invite, name="invite"),
    path("conversations/<int:pk>/leave/", views.leave, name="leave"),
    path("conversations/<int:pk>/unread/", views.mark_unread, name="mark_unread"),
    path("conversations/<int:pk>/star/", views.star, name="star"),
    path("conversations/messages/<int:pk>/", views.message_redirect, name="message"),
    path("conversations/messages/<int:pk>/edit/", views.edit_message, name="edit_message"),
    path("conversations/messages/<int:pk>/history/", views.history, name="history"),
    path("conversations/messages/<int:pk>/react/", views.react, name="react"),
    path("conversations/messages/<int:pk>/report/", views.report, name="report"),
    path("conversations/reports/", views.report_list, name="reports"),
    path("conversations/reports/<int:pk>/resolve/", views.resolve_report, name="resolve_report"),
]
