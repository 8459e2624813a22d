"""Forms for moderator actions: they validate input; the services decide and write."""

from __future__ import annotations

from django import forms

from parley.forums.models import Forum

from .models import ReportReason, WarningType

POST_ACTIONS = [
    ("delete", "Delete"),
    ("restore", "Restore"),
    ("approve", "Approve"),
    ("reject", "Reject (delete)"),
    ("split", "Split into a new thread"),
    ("move", "Move to another thread"),
]
THREAD_ACTIONS = [
    ("lock", "Lock"),
    ("unlock", "Unlock"),
    ("stick", "Stick"),
    ("unstick", "Unstick"),
    ("delete", "Delete"),
    ("restore", "Restore"),
    ("move", "Move to forum"),
    ("merge", "Merge into the first selected"),
]


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300, required=False, label="Reason (shown to readers)")


class PostBulkForm(forms.Form):
    action = forms.ChoiceField(choices=POST_ACTIONS)
    reason = forms.CharField(max_length=300, required=False)
    title = forms.CharField(max_length=150, required=False, label="New thread title")
    forum = forms.ModelChoiceField(queryset=Forum.objects.none(), required=False)
    target_thread = forms.IntegerField(required=False, min_value=1, label="Target thread number")

    def __init__(self, *args: object, forums: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["forum"].queryset = forums if forums is not None else Forum.objects.none()  # type: ignore[attr-defined]


class ThreadActionForm(forms.Form):
    action = forms.ChoiceField(choices=THREAD_ACTIONS)
    reason = forms.CharField(max_length=300, required=False)
    forum = forms.ModelChoiceField(queryset=Forum.objects.none(), required=False)
    leave_redirect = forms.BooleanField(required=False, label="Leave a “moved” notice")
    merge_with = forms.CharField(
        max_length=200, required=False, label="Thread numbers to merge into this one"
    )

    def __init__(self, *args: object, forums: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["forum"].queryset = forums if forums is not None else Forum.objects.none()  # type: ignore[attr-defined]


class ReportForm(forms.Form):
    reason = forms.ModelChoiceField(
        queryset=ReportReason.objects.filter(is_active=True), required=False, empty_label="Choose…"
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
        label="What is wrong? (optional)",
    )


class WarnForm(forms.Form):
    warning_type = forms.ModelChoiceField(
        queryset=WarningType.objects.filter(is_active=True), label="Warning"
    )
    reason = forms.CharField(max_length=300, required=False, label="Reason (the member sees it)")
    public_notice = forms.CharField(
        max_length=300, required=False, label="Public notice under the post (optional)"
    )


class BanForm(forms.Form):
    days = forms.IntegerField(
        min_value=1,
        max_value=36500,
        required=False,
        label="Days (leave empty for a permanent ban)",
    )
    reason = forms.CharField(max_length=300, label="Reason (the member sees it)")


class CaseForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("comment", "Comment"),
            ("assign_me", "Assign to me"),
            ("resolve", "Resolve"),
            ("reject", "Reject"),
        ]
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
