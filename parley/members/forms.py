from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django_countries import countries

from .models import USERNAME_PATTERN, USERNAME_RULE, Member


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=30,
        validators=[RegexValidator(USERNAME_PATTERN, USERNAME_RULE)],
        help_text=USERNAME_RULE,
    )
    email = forms.EmailField(max_length=254)
    password = forms.CharField(widget=forms.PasswordInput, strip=False)

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if Member.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("That name is taken.")
        return name

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if Member.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with that e-mail already exists.")
        return email

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
