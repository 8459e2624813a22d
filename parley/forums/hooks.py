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


# (guardian, post views, their HTML) -> the HTML to show: per-reader additions made after the
# shared fragment cache (the stories app's "Also covered by" inside link cards). Each must
# cost a fixed number of queries for the whole page, never one per post.
PostHtmlDecorator = Callable[[Any, Sequence[Any], Sequence[Any]], list[Any]]
post_html_decorators: list[PostHtmlDecorator] = []


def register_post_html_decorator(decorator: PostHtmlDecorator) -> None:
    if decorator not in post_html_decorators:
        post_html_decorators.append(decorator)


def decorate_posts(guardian: Any, views: Sequence[Any], html: Sequence[Any]) -> list[Any]:
    out = list(html)
    for decorator in post_html_decorators:
        out = decorator(guardian, views, out)
    return out


def register_thread_view_recorder(recorder: ThreadViewRecorder) -> None:
    if recorder not in thread_view_recorders:
        thread_view_recorders.append(recorder)


def thread_viewed(guardian: Any, thread: Any, posts: Sequence[Any]) -> None:
    for recorder in thread_view_recorders:
        recorder(guardian, thread, posts)


# --- thread extensions: tags, prefixes and polls (parley.tags, parley.polls) ---------------


@dataclass(frozen=True)
class ComposeExtension:
    """Extra fields on the start-thread form, owned by another app. `make_form(forum,
    guardian, data)` returns a Django form (bound when `data` is given); `apply(form, thread,
    author)` writes what it holds through that app's services, inside the transaction that
    creates the thread, so a thread never exists without what its starter asked for.
    `template` renders the form (context: `form`)."""

    name: str
    template: str
    make_form: Callable[[Any, Any, Any], Any]
    apply: Callable[[Any, Any, Any], None]


compose_extensions: list[ComposeExtension] = []

# (forum, query parameters) -> a Q narrowing the forum's thread list, or None; raises Http404
# for a parameter that names nothing (so a guest page is never cached under a junk address).
ThreadListFilter = Callable[[Any, Any], Any]
thread_list_filters: list[ThreadListFilter] = []

# Recounters of counters kept by other apps (poll votes): () -> list of corrections.
Recounter = Callable[[], list[Any]]
recounters: list[Recounter] = []


def register_compose_extension(extension: ComposeExtension) -> None:
    if all(e.name != extension.name for e in compose_extensions):
        compose_extensions.append(extension)


def register_thread_list_filter(filter_: ThreadListFilter) -> None:
    if filter_ not in thread_list_filters:
        thread_list_filters.append(filter_)


def register_recounter(recounter: Recounter) -> None:
    if recounter not in recounters:
        recounters.append(recounter)


@dataclass
class ComposeForm:
    """One extension's form on one start-thread page."""

    extension: ComposeExtension
    form: Any

    @property
    def template(self) -> str:
        return self.extension.template

    def writer(self, author: Any) -> Callable[[Any], None]:
        return lambda thread: self.extension.apply(self.form, thread, author)


def compose_forms(forum: Any, guardian: Any, data: Any) -> list[ComposeForm]:
    return [ComposeForm(ext, ext.make_form(forum, guardian, data)) for ext in compose_extensions]


def thread_list_narrowing(forum: Any, params: Any) -> Any:
    """The Q every registered filter asks for (None when the reader chose none)."""
    narrow = None
    for filter_ in thread_list_filters:
        q = filter_(forum, params)
        if q is not None:
            narrow = q if narrow is None else narrow & q
    return narrow


# Query parameters of thread-list filters that page links must keep.
list_query_params: list[str] = []


def kept_list_query(params: Any) -> str:
    from urllib.parse import urlencode

    kept = [(name, params[name]) for name in list_query_params if params.get(name)]
    return urlencode(kept)


# (author, thread or None, forum) -> None: called inside the transaction that writes a new
# thread or reply, so that what the editor app keeps for the member (their draft) is cleared
# in the same commit as the post.
PostSubmittedRecorder = Callable[..., None]
post_submitted_recorders: list[PostSubmittedRecorder] = []

# (member, thread=..., forum=...) -> initial form values (a saved draft), or {}.
ComposeInitial = Callable[..., dict[str, str]]
compose_initials: list[ComposeInitial] = []


def register_post_submitted_recorder(recorder: PostSubmittedRecorder) -> None:
    if recorder not in post_submitted_recorders:
        post_submitted_recorders.append(recorder)


def register_compose_initial(provider: ComposeInitial) -> None:
    if provider not in compose_initials:
        compose_initials.append(provider)


def post_submitted(author: Any, *, thread: Any, forum: Any, new_thread: bool) -> None:
    for recorder in post_submitted_recorders:
        recorder(author, thread=thread, forum=forum, new_thread=new_thread)


def compose_initial(member: Any, *, thread: Any = None, forum: Any = None) -> dict[str, str]:
    """What a compose form starts with for this member besides the defaults (their draft)."""
    initial: dict[str, str] = {}
    for provider in compose_initials:
        initial.update(provider(member, thread=thread, forum=forum))
    return initial


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


# --- live-event threads (parley.liveevents) ----------------------------------------------

# Reverse one-to-one relations of Thread that the thread page joins into the query that
# loads the thread (`select_related`), so an app's per-thread row costs no extra query.
thread_page_related: list[str] = []

# (guardian, thread as locked by the reply, time of the reply) -> None. Called inside
# `reply_to_thread`'s transaction after the thread row is locked, so two replies of one
# member cannot both pass; raises ValidationError (text kept by the view) to refuse.
ReplyCheck = Callable[[Any, Any, Any], None]
reply_checks: list[ReplyCheck] = []


def register_thread_page_related(name: str) -> None:
    if name not in thread_page_related:
        thread_page_related.append(name)


def register_reply_check(check: ReplyCheck) -> None:
    if check not in reply_checks:
        reply_checks.append(check)


def check_reply(guardian: Any, thread: Any, at: Any) -> None:
    for check in reply_checks:
        check(guardian, thread, at)


# --- sources: per-forum policy for linked sites, trusted sites (parley.sources) -----------


@dataclass(frozen=True)
class LinkRuling:
    """What a forum does with a post because of the sites it links: "allow", "approve"
    (the post waits for a moderator) or "refuse" (`message` names the policy and the site)."""

    action: str = "allow"
    message: str = ""


# (forum, linked URLs) -> the strictest ruling among the sites they link.
LinkRuler = Callable[[Any, Sequence[str]], LinkRuling]
link_rulers: list[LinkRuler] = []
# URL -> whether it links a source the site trusts (not counted against newcomers).
TrustedCheck = Callable[[str], bool]
trusted_checks: list[TrustedCheck] = []


def register_link_ruler(ruler: LinkRuler) -> None:
    if ruler not in link_rulers:
        link_rulers.append(ruler)


def register_trusted_check(check: TrustedCheck) -> None:
    if check not in trusted_checks:
        trusted_checks.append(check)
