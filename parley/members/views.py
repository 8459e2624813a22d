from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.core import ratelimit, stamps
from parley.core.clientip import client_ip
from parley.core.pagecache import guest_page
from parley.forums.queries import member_activity
from parley.members.titles import Ladder
from parley.permissions.guardian import Guardian

from . import mails, services, spamcheck
from .forms import ProfileForm, SignInForm, SignUpForm
from .models import Member

log = logging.getLogger(__name__)

REFUSED_SIGNUP = (
    "We cannot accept this sign-up. If you think this is a mistake, write to the staff of "
    "this forum."
)


def _minutes(verdict: ratelimit.Verdict) -> str:
    return f"{verdict.minutes} minute{'s' if verdict.minutes != 1 else ''}"


def _create_or_notify(request: HttpRequest, form: SignUpForm) -> bool:
    """Make the account and mail its confirmation link, or, when the address already has an
    account, mail its owner instead. Both end on the same page. False if the name was
    taken by a sign-up racing this one."""
    email = form.cleaned_data["email"]
    existing = Member.objects.filter(email__iexact=email, is_active=True).first()
    if existing is not None:
        mails.send_already_registered(request, existing)
        return True
    try:
        member = services.register_member(
            username=form.cleaned_data["username"],
            email=email,
            password=form.cleaned_data["password"],
            ip=client_ip(request),
        )
    except services.NameTaken:
        form.add_error("username", "That name is taken.")
        return False
    except services.SignUpRefused as exc:
        form.add_error(None, str(exc))
        return False
    mails.send_confirmation(request, member)
    return True


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("forums:index")
    form = SignUpForm(request.POST or None)
    status = 400 if form.is_bound else 200
    if form.is_honeypot_filled:
        log.info("sign-up with the honeypot filled, from %s: not created", client_ip(request))
        return redirect("members:signup_sent")
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        verdict = ratelimit.hit("signup_address", ip)
        if not verdict.allowed:
            form.add_error(
                None, f"Too many sign-ups from your address; try again in {_minutes(verdict)}."
            )
            status = 429
        elif spamcheck.is_listed(email=form.cleaned_data["email"], ip=ip):
            form.add_error(None, REFUSED_SIGNUP)
        elif _create_or_notify(request, form):
            return redirect("members:signup_sent")
    return render(request, "members/signup.html", {"form": form}, status=status)


@require_safe
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "members/signup_sent.html")


@require_safe
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    member = mails.member_for_token(token)
    if member is None:
        return render(request, "members/confirm_failed.html", status=400)
    services.confirm_email(member=member)
    return render(request, "members/confirmed.html", {"member": member})


@login_required
@require_POST
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    member = request.user
    assert isinstance(member, Member)
    if member.email_confirmed_at is not None:
        messages.info(request, "Your address is already confirmed.")
        return redirect("forums:index")
    verdict = ratelimit.hit("confirm_mail", str(member.pk))
    if not verdict.allowed:
        message = f"We sent that mail several times already; try again in {_minutes(verdict)}."
        return render(request, "429.html", {"message": message}, status=429)
    mails.send_confirmation(request, member)
    messages.success(request, f"We sent the confirmation mail again to {member.email}.")
    return redirect("forums:index")


class SignInView(auth_views.LoginView):
    """Sign-in, limited per typed account name and per client address. The limit is
    checked before the password, on the name as typed, so the answer is the same whether
    or not the account exists, and the right password is refused too while limited."""

    template_name = "members/signin.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = str(request.POST.get("username", "")).strip().lower()[:150]
        verdicts = [
            ratelimit.hit("signin_address", client_ip(request)),
            ratelimit.hit("signin_account", name),
        ]
        refused = [v for v in verdicts if not v.allowed]
        if not refused:
            return super().post(request, *args, **kwargs)
        wait = max(refused, key=lambda v: v.retry_after)
        form = self.authentication_form(request, initial={"username": name})
        context = self.get_context_data(
            form=form, limited=f"Too many sign-in attempts; try again in {_minutes(wait)}."
        )
        return self.render_to_response(context, status=429)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # A banned member is told at once, with the reason (and again wherever they would
        # write).
        guardian = Guardian.for_request(self.request)
        if guardian.is_banned:
            messages.warning(self.request, guardian.write_block_reason)
        return response

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
        "signature": member.signature_source,
        "signature_format": member.signature_format,
        "show_online": member.show_online,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            services.update_profile(
                member=member,
                country=data["country"] or "",
                location=data["location"],
                about=data["about"],
            )
            if (data["signature"].strip(), data["signature_format"]) != (
                member.signature_source,
                member.signature_format,
            ):
                services.set_signature(
                    member=member, source=data["signature"], fmt=data["signature_format"]
                )
            services.set_show_online(member=member, show=data["show_online"])
        messages.success(request, "Profile saved.")
        return redirect("members:profile", username=member.username)
    status = 400 if form.is_bound else 200
    limits = {
        "chars": settings.PARLEY_SIGNATURE_MAX_CHARS,
        "lines": settings.PARLEY_SIGNATURE_MAX_LINES,
        "images": settings.PARLEY_SIGNATURE_MAX_IMAGES,
    }
    return render(
        request,
        "members/edit_profile.html",
        {"form": form, "signature_limits": limits},
        status=status,
    )


@require_safe
@guest_page(lambda request, username: [stamps.CONTENT, stamps.profile(username)])
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
            "signature": member.signature_html if guardian.sees_signatures else "",
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

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Over a limit the page answers exactly as usual; only the mail is not sent.
        verdicts = [
            ratelimit.hit("reset_address", client_ip(self.request)),
            ratelimit.hit("reset_email", form.cleaned_data["email"].lower()),
        ]
        if all(v.allowed for v in verdicts):
            return super().form_valid(form)
        log.info("password-reset mail not sent: over a rate limit")
        return HttpResponseRedirect(self.get_success_url())


class ResetPasswordConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/reset_confirm.html"
    success_url = reverse_lazy("members:reset_done")
