"""Extension points that other apps fill in when they are installed, so that forums never
imports them: preview providers for cooking, checks that add notices to the compose page
(the links app's "already discussed"), and recorders of staff edits (the moderation log)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parley.formatting import AttachmentRef, LinkPreview

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

# (editor, post as saved, revision it replaced, reason) -> None. Called inside the edit's
# transaction when someone edits another member's post, so the log entry commits with it.
StaffEditRecorder = Callable[[Any, Any, int, str], None]

preview_providers: list[PreviewProvider] = []
compose_checks: list[ComposeCheck] = []
image_providers: list[ImageProvider] = []
staff_edit_recorders: list[StaffEditRecorder] = []

# (guardian, thread, posts shown on the page) -> None: the read-tracking app records how far
# a member has read. Called by the thread page after it has fetched its posts.
ThreadViewRecorder = Callable[[Any, Any, Sequence[Any]], None]
thread_view_recorders: list[ThreadViewRecorder] = []


def register_preview_provider(provider: PreviewProvider) -> None:
    if provider not in preview_providers:
        preview_providers.append(provider)


def register_image_provider(provider: ImageProvider) -> None:
    if provider not in image_providers:
        image_providers.append(provider)


def register_compose_check(check: ComposeCheck) -> None:
    if check not in compose_checks:
        compose_checks.append(check)


def register_staff_edit_recorder(recorder: StaffEditRecorder) -> None:
    if recorder not in staff_edit_recorders:
        staff_edit_recorders.append(recorder)


def compose_notices(guardian: Any, source: str, fmt: str) -> list[ComposeNotice]:
    notices: list[ComposeNotice] = []
    for check in compose_checks:
        notices += check(guardian, source, fmt)
    return notices


def register_thread_view_recorder(recorder: ThreadViewRecorder) -> None:
    if recorder not in thread_view_recorders:
        thread_view_recorders.append(recorder)


def thread_viewed(guardian: Any, thread: Any, posts: Sequence[Any]) -> None:
    for recorder in thread_view_recorders:
        recorder(guardian, thread, posts)


# Uploads a post shows (the attachments app): (author id, editor form token or None, post id
# or None) -> {attachment id: AttachmentRef}; and, inside the write's transaction, (post,
# the refs it was cooked with) -> None to tie them to the post.
AttachmentSource = Callable[[int, str | None, int | None], Mapping[int, AttachmentRef]]
AttachmentBinder = Callable[[Any, Mapping[int, AttachmentRef]], None]
attachment_sources: list[tuple[AttachmentSource, AttachmentBinder]] = []


def register_attachment_source(source: AttachmentSource, binder: AttachmentBinder) -> None:
    if (source, binder) not in attachment_sources:
        attachment_sources.append((source, binder))


def attachments_for(
    author_id: int, form_key: str | None, post_id: int | None
) -> dict[int, AttachmentRef]:
    refs: dict[int, AttachmentRef] = {}
    for source, _binder in attachment_sources:
        refs.update(source(author_id, form_key, post_id))
    return refs


def attachments_written(post: Any, refs: Mapping[int, AttachmentRef]) -> None:
    if refs:
        for _source, binder in attachment_sources:
            binder(post, refs)
