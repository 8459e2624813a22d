from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core import signing
from django.core.validators import RegexValidator
from django_countries import countries

from .models import USERNAME_PATTERN, USERNAME_RULE, Member

_STARTED_SALT = "parley.members.signup-started"


def signup_started_token(at: float | None = None) -> str:
    """When the sign-up form was served, signed so that a bot cannot backdate it."""
    signer = signing.TimestampSigner(salt=_STARTED_SALT)
    if at is None:
        return signer.sign("signup")
    # Only tests and the burst bench backdate the form (to skip the wait).
    return signing.Signer(salt=_STARTED_SALT).sign(
        f"signup{signer.sep}{signing.b62_encode(int(at))}"
    )


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=30,
        validators=[RegexValidator(USERNAME_PATTERN, USERNAME_RULE)],
        help_text=USERNAME_RULE,
    )
    email = forms.EmailField(max_length=254)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    # The honeypot: hidden from people by CSS (not type=hidden, which bots skip); a form
    # that comes back with it filled is a bot's.
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signup_started_token()

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.is_bound and (self.data.get("website") or "").strip())

    def clean_started(self) -> str:
        token = self.cleaned_data.get("started") or ""
        try:
            signing.TimestampSigner(salt=_STARTED_SALT).unsign(
                token, max_age=settings.PARLEY_SIGNUP_MIN_SECONDS
            )
        except signing.SignatureExpired:
            return token  # old enough: a person took their time
        except signing.BadSignature as exc:
            raise forms.ValidationError(
                "This form is damaged or out of date; reload the page and try again.",
                code="bad_started",
            ) from exc
        raise forms.ValidationError(
            "Please take a moment to check what you typed, then send the form again.",
            code="too_fast",
        )

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if Member.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("That name is taken.")
        return name

    def clean_email(self) -> str:
        # No "already registered" error here: the page must not tell who is a member. The
        # view mails the owner of a registered address instead of making an account.
        return self.cleaned_data["email"].lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password:
            candidate = Member(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "That name and password do not match an account.",
        "inactive": "This account is inactive.",
    }


class ProfileForm(forms.Form):
    country = forms.ChoiceField(choices=[("", "—"), *list(countries)], required=False)
    location = forms.CharField(max_length=80, required=False)
    about = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), max_length=2000, required=False
    )
    signature = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Shown under your posts. Limits: see below.",
    )
    signature_format = forms.ChoiceField(
        choices=[("bbcode", "BBCode"), ("markdown", "Markdown")],
        initial="bbcode",
        required=False,
        label="Signature format",
    )
    show_online = forms.BooleanField(
        required=False, label="Show me as online", help_text="Others see you in who's online."
    )

    def clean(self) -> dict[str, Any]:
        from .services import SignatureRefused, check_signature

        data = super().clean() or {}
        data["signature_format"] = data.get("signature_format") or "bbcode"
        if "signature" in data:
            try:
                check_signature(data["signature"], data["signature_format"])
            except SignatureRefused as exc:
                self.add_error("signature", str(exc))
        return data
