from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signin/", views.SignInView.as_view(), name="signin"),
    path("signout/", views.SignOutView.as_view(), name="signout"),
    path("account/password/", views.change_password, name="password"),
    path("account/profile/", views.edit_profile, name="edit_profile"),
    path("members/<str:username>/", views.profile, name="profile"),
]
