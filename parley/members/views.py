from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET, require_http_methods

from parley.core.clientip import client_ip
from parley.forums.queries import member_activity
from parley.members.titles import Ladder
from parley.permissions.guardian import Guardian

from . import services
from .forms import ProfileForm, SignInForm, SignUpForm
from .models import Member


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:index")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.register_member(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except services.NameTaken:
            form.add_error("username", "That name is taken.")
        except services.SignUpRefused as exc:
            form.add_error(None, str(exc))
        else:
            login(request, member, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to Parley, {member.username}.")
            return redirect("forums:index")
    status = 400 if form.is_bound else 200
    return render(request, "members/signup.html", {"form": form}, status=status)


class SignInView(auth_views.LoginView):
    template_name = "members/signin.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class SignOutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, Member)
        services.change_password(
            member=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, request.user)
        messages.success(request, "Your password is changed.")
        return redirect("members:profile", username=request.user.get_username())
    status = 400 if form.is_bound else 200
    return render(request, "members/password.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: HttpRequest) -> HttpResponse:
    member = request.user
    assert isinstance(member, Member)
    initial = {
        "country": member.country.code or "",
        "location": member.location,
        "about": member.about,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            member=member,
            country=form.cleaned_data["country"] or "",
            location=form.cleaned_data["location"],
            about=form.cleaned_data["about"],
        )
        messages.success(request, "Profile saved.")
        return redirect("members:profile", username=member.username)
    status = 400 if form.is_bound else 200
    return render(request, "members/edit_profile.html", {"form": form}, status=status)


@require_GET
def profile(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(Member, username__iexact=username, is_active=True)
    guardian = Guardian.for_request(request)
    recent_posts, recent_threads = member_activity(member, guardian)
    ladder = Ladder.load()
    is_self = request.user.is_authenticated and request.user.pk == member.pk
    return render(
        request,
        "members/profile.html",
        {
            "member": member,
            "rank_title": member.custom_title or ladder.title_for(member.message_count),
            "recent_posts": recent_posts,
            "recent_threads": recent_threads,
            "per_page": settings.PARLEY_POSTS_PER_PAGE,
            "is_self": is_self,
            "write_block": guardian.write_block_reason if is_self else "",
            "can_ban": guardian.can_ban_members() and not is_self,
        },
    )


class ResetPasswordView(auth_views.PasswordResetView):
    """Ask for a reset link. The answer is the same whether or not the address has an
    account, and whether or not the mail server took the mail (Django logs a failure):
    no one learns from this page who is a member."""

    template_name = "members/reset_form.html"
    email_template_name = "members/reset_email.txt"
    subject_template_name = "members/reset_subject.txt"
    success_url = reverse_lazy("members:reset_sent")
    http_method_names = ["get", "post", "head", "options"]


class ResetPasswordConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/reset_confirm.html"
    success_url = reverse_lazy("members:reset_done")
