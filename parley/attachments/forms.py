from __future__ import annotations

from django import forms


class AvatarForm(forms.Form):
    # Not an ImageField: Django's check decodes the whole picture; services.set_avatar does
    # the one careful decode (pixel cap first).
    picture = forms.FileField(
        label="Picture",
        help_text="JPEG, PNG, GIF, WebP or AVIF; cropped to a square from its centre.",
    )
