from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("account/confirm/resend/", views.resend_confirmation, name="resend_confirmation"),
    path("account/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("signin/", views.SignInView.as_view(), name="signin"),
    path("signout/", views.SignOutView.as_view(), name="signout"),
    path("account/password/", views.change_password, name="password"),
    path("account/profile/", views.edit_profile, name="edit_profile"),
    path("account/reset/", views.ResetPasswordView.as_view(), name="reset"),
    path(
        "account/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="members/reset_sent.html"),
        name="reset_sent",
    ),
    path(
        "account/reset/<uidb64>/<token>/",
        views.ResetPasswordConfirmView.as_view(),
        name="reset_confirm",
    ),
    path(
        "account/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="members/reset_done.html"),
        name="reset_done",
    ),
    path("members/<str:username>/", views.profile, name="profile"),
]
