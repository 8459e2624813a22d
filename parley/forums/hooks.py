"""Extension points that other apps fill in when they are installed, so that forums never
imports them: preview providers for cooking, and checks that add notices to the compose page
(the links app's "already discussed")."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parley.formatting import LinkPreview

PreviewProvider = Callable[[Sequence[str]], Mapping[str, LinkPreview]]
# remote image URLs -> local URLs of the copies the image proxy holds
ImageProvider = Callable[[Sequence[str]], Mapping[str, str]]


@dataclass(frozen=True)
class ComposeNotice:
    """Something a member should know before posting; `html` is trusted markup built by the
    app that raised it (escaped there)."""

    html: str
    kind: str = "info"


# (guardian, source, format) -> notices
ComposeCheck = Callable[[Any, str, str], list[ComposeNotice]]

preview_providers: list[PreviewProvider] = []
compose_checks: list[ComposeCheck] = []
image_providers: list[ImageProvider] = []


def register_preview_provider(provider: PreviewProvider) -> None:
    if provider not in preview_providers:
        preview_providers.append(provider)


def register_image_provider(provider: ImageProvider) -> None:
    if provider not in image_providers:
        image_providers.append(provider)


def register_compose_check(check: ComposeCheck) -> None:
    if check not in compose_checks:
        compose_checks.append(check)


def compose_notices(guardian: Any, source: str, fmt: str) -> list[ComposeNotice]:
    notices: list[ComposeNotice] = []
    for check in compose_checks:
        notices += check(guardian, source, fmt)
    return notices


# An edit of someone else's post is a staff action: the moderation app registers the
# function that performs it (and logs it); without one, the plain edit service is used.
StaffEdit = Callable[..., Any]
staff_edit: list[StaffEdit] = []


def register_staff_edit(editor: StaffEdit) -> None:
    staff_edit[:] = [editor]
