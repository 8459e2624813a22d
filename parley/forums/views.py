"""Forum pages. Views check input, ask the Guardian, call a service, and render."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.core import ratelimit, stamps
from parley.core.clientip import client_ip
from parley.core.pagecache import guest_page
from parley.core.params import ascii_int
from parley.permissions.guardian import Guardian
from parley.permissions.models import Power

from . import approval, fragments, hooks, queries, services
from .cooking import cook_post
from .forms import EditForm, PostForm, ThreadForm, new_token
from .models import Forum, Post, ReactionType, State, Thread
from .quoting import quote_block

AWAITING_APPROVAL = (
    "Thanks — your post is awaiting approval: a moderator will look at it shortly. "
    "Until then only you and the moderators can see it."
)


def _awaiting(request: HttpRequest, forum: Forum, data: dict[str, Any]) -> str:
    """The awaiting-approval notice, with the source policy's reason when that is why."""
    reason = approval.why_held(_guardian(request), forum, data["source"], data["format"])
    return f"{AWAITING_APPROVAL} {reason}" if reason else AWAITING_APPROVAL


def _guardian(request: HttpRequest) -> Guardian:
    return Guardian.for_request(request)


def _forum(request: HttpRequest, pk: int) -> Forum:
    forum = get_object_or_404(Forum.objects.select_related("category"), pk=pk)
    _guardian(request).ensure_see_forum(forum)
    return forum


def _thread_row(pk: int) -> Thread:
    """The thread with what its pages show of it joined: forum, category, author and what
    other apps register (the prefix, the poll)."""
    related = ("forum__category", "author", *hooks.thread_page_related)
    return get_object_or_404(Thread.objects.select_related(*related), pk=pk)


def _thread(request: HttpRequest, pk: int) -> Thread:
    thread = _thread_row(pk)
    _guardian(request).ensure_see_thread(thread)
    return thread


def _shown_thread(request: HttpRequest, pk: int) -> Thread:
    """The thread for its page: as `_thread`, but the row (with its forum, category, author
    and prefix) is read once per change of the thread (stamps.per_thread) and copied for
    this request. Only for reading: a write must see the row as it is now."""
    kept = stamps.per_thread(pk, "thread", lambda: _thread_row(pk))
    thread = copy.copy(kept)
    _guardian(request).ensure_see_thread(thread)
    return thread


def _post(request: HttpRequest, pk: int, *, content: bool = True) -> Post:
    """The post, or 404 when this person may not see it (`content=False`: its placeholder
    is enough, as for the link to a deleted post)."""
    post = get_object_or_404(Post.objects.select_related("thread__forum", "author"), pk=pk)
    guardian = _guardian(request)
    if content:
        guardian.ensure_read_post(post)
    else:
        guardian.ensure_see_post(post)
    return post


def post_location(post: Post, guardian: Guardian) -> str:
    page = queries.page_of_post(post, settings.PARLEY_POSTS_PER_PAGE, guardian)
    url = reverse("forums:thread", args=[post.thread_id])
    if page > 1:
        url += f"?page={page}"
    return f"{url}#post-{post.pk}"


def _move_forums(guardian: Guardian, forum: Forum) -> Any:
    """Where this moderator may move threads to (no query for anyone else)."""
    if not guardian.has_power(Power.MOVE, forum.pk):
        return []
    return Forum.objects.filter(pk__in=guardian.forum_ids_with_power(Power.MOVE)).order_by("title")


def _flooding(request: HttpRequest, limit: str, forum_id: int) -> ratelimit.Verdict | None:
    """Count one write against the member's flood limit; the verdict when it is refused.
    Staff, and whoever the Guardian lets bypass flood limits, are not counted."""
    if _guardian(request).can_bypass_flood_limits(forum_id):
        return None
    verdict = ratelimit.hit(limit, str(request.user.pk))
    return None if verdict.allowed else verdict


def _flood_message(what: str, verdict: ratelimit.Verdict, *, text_kept: bool = True) -> str:
    minutes = verdict.minutes
    message = (
        f"You are {what} too fast; wait {minutes} minute{'s' if minutes != 1 else ''} and "
        "try again."
    )
    return f"{message} Your text is kept below." if text_kept else message


def _apply_errors(form: Any, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(None, message)


def _compose_initial(
    request: HttpRequest, *, thread: Thread | None = None, forum: Forum | None = None
) -> dict[str, str]:
    """A compose form starts in the member's last format, with their draft if they left one
    (docs/editor.md); the draft comes from the editor app through `hooks`."""
    user: Any = request.user
    initial = {"format": getattr(user, "post_format", Post.Format.BBCODE)}
    initial.update(hooks.compose_initial(user, thread=thread, forum=forum))
    return initial


def _preview_html(request: HttpRequest, form: Any, *, post: Post | None = None) -> str | None:
    """The cooked preview when the member pressed Preview (the no-JavaScript preview: the
    form comes back with the preview above it, nothing is posted); None otherwise."""
    if "preview" not in request.POST:
        return None
    form.is_valid()
    if "source" in form.errors or "format" in form.errors:
        return None  # the errors show as on a failed post, with the text kept
    # (A missing title is shown as an error beside the preview; the text is what counts.)
    # The uploads the post would show: this form's (by its token) and, editing, the post's.
    user: Any = request.user  # signed in (the compose views need it)
    author_id = post.author_id if post is not None else user.pk
    token = form.cleaned_data.get("token") if author_id == request.user.pk else None
    attachments = hooks.attachments_for(author_id, token, post.pk if post else None)
    cooked, _ = cook_post(
        form.cleaned_data["source"], form.cleaned_data["format"], attachments=attachments
    )
    return cooked.html


def _resubmit_form(form_class: type[PostForm], request: HttpRequest) -> PostForm:
    """The member's new text in a form with a fresh token, after DuplicateSubmission: sent
    again, it posts as a new post instead of meeting the first one."""
    data = request.POST.copy()
    data["token"] = new_token()
    data.pop("confirmed", None)
    form = form_class(data)
    form.is_valid()
    return form


@require_safe
@guest_page(lambda request: [stamps.CONTENT, stamps.ONLINE])
def index(request: HttpRequest) -> HttpResponse:
    tree = queries.forum_index(_guardian(request))
    return render(request, "forums/index.html", {"tree": tree})


@require_safe
@guest_page(lambda request, pk: [stamps.forum(pk)])
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    guardian = _guardian(request)
    narrow = hooks.thread_list_narrowing(forum, request.GET)
    page = queries.forum_threads(
        forum, request.GET.get("page"), settings.PARLEY_THREADS_PER_PAGE, guardian, narrow
    )
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "page": page,
            "can_start": guardian.can_start_thread(forum),
            "can_moderate": guardian.moderates(forum.pk),
            "write_block": guardian.write_block_reason if guardian.is_member else "",
            # A notice must not reveal a thread moved where this reader cannot follow.
            "redirects": [
                r for r in queries.forum_redirects(forum) if guardian.can_see_thread(r.thread)
            ],
            "move_forums": _move_forums(guardian, forum),
            # The filter's own parameters, kept by the page links ("prefix=3&").
            "page_query": hooks.kept_list_query(request.GET),
        },
    )


@require_safe
@guest_page(lambda request, pk: [stamps.thread(pk)], on_hit=lambda request, pk: ("view", pk))
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _shown_thread(request, pk)
    guardian = _guardian(request)
    data = queries.thread_page(
        thread, request.GET.get("page"), settings.PARLEY_POSTS_PER_PAGE, guardian
    )
    services.count_view(thread)
    hooks.thread_viewed(guardian, thread, [view.post for view in data.posts])
    forum = thread.forum
    can_reply = guardian.can_reply(thread)
    can_moderate = guardian.moderates(forum.pk)
    return render(
        request,
        "forums/thread.html",
        {
            "thread": thread,
            "forum": forum,
            "page": data.page,
            "posts": data.posts,
            # Each post's HTML, cached for every reader who sees it the same way; posts by
            # members this reader ignores folded around it.
            "post_html": fragments.collapse_ignored(
                hooks.decorate_posts(
                    guardian,
                    data.posts,
                    fragments.render_posts(
                        data.posts,
                        shape=data.shape,
                        thread_id=thread.pk,
                        start_index=data.page.start_index(),
                        can_reply=can_reply,
                        can_moderate=can_moderate,
                        csrf_token=lambda: get_token(request),
                    ),
                ),
                data.posts,
                request.user,
            ),
            "can_reply": can_reply,
            "can_moderate": can_moderate,
            "mod": {
                "lock": guardian.has_power(Power.LOCK, forum.pk),
                "move": guardian.has_power(Power.MOVE, forum.pk),
                "delete": guardian.has_power(Power.DELETE, forum.pk),
                "hard_delete": guardian.can_hard_delete(),
            },
            "write_block": guardian.write_block_reason if guardian.is_member else "",
            "move_forums": _move_forums(guardian, forum),
            "reply_html": fragments.quick_reply(
                thread,
                initial=_compose_initial(request, thread=thread),
                locked=thread.is_locked or forum.is_locked,
                csrf_token=lambda: get_token(request),
            )
            if can_reply
            else "",
        },
    )


@require_safe
def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk, content=False)
    return HttpResponseRedirect(post_location(post, _guardian(request)))


@require_safe
def post_fragment(request: HttpRequest, pk: int) -> HttpResponse:
    """One post exactly as its thread page shows it to this reader, alone: live updates
    fetch it to add a new reply or refresh one that changed (docs/live.md). Whoever may not
    see the post gets a 404, as on the thread page."""
    if pk > 2**63 - 1:  # fits no row; the database would overflow instead of answering
        raise Http404("No such post.")
    post = _post(request, pk, content=False)
    guardian = _guardian(request)
    thread = post.thread
    view = queries.post_views([post], guardian)[0]
    (html,) = fragments.render_posts(
        [view],
        thread_id=thread.pk,
        start_index=queries.post_number(post, guardian),
        can_reply=guardian.can_reply(thread),
        can_moderate=guardian.moderates(thread.forum_id),
        csrf_token=lambda: get_token(request),
    )
    (html,) = hooks.decorate_posts(guardian, [view], [html])
    (html,) = fragments.collapse_ignored([html], [view], request.user)
    return HttpResponse(html)


def _how_long_ago(moment: Any) -> str:
    if timezone.now() - moment < timedelta(minutes=1):
        return "moments ago"
    return f"{timesince(moment)} ago"


def _same_thread_notices(
    request: HttpRequest, forum: Forum, data: dict[str, Any]
) -> list[hooks.ComposeNotice]:
    """The form sent again with a fresh token (Back after posting, a reloaded page): the
    same title and text from the same member in this forum lately is most likely the thread
    they already started, so ask first; a second submit posts anyway."""
    thread = queries.recent_same_thread(
        author=request.user,
        forum=forum,
        title=data["title"],
        source=data["source"],
        token=data["token"],
    )
    if thread is None:
        return []
    html = format_html(
        'You started <a href="{}">{}</a> with the same title and text {}. Post it again?',
        reverse("forums:thread", args=[thread.pk]),
        thread.title,
        _how_long_ago(thread.created_at),
    )
    return [hooks.ComposeNotice(html=html, kind="warning")]


@login_required
@require_http_methods(["GET", "POST"])
def start_thread(request: HttpRequest, pk: int) -> HttpResponse:
    forum = _forum(request, pk)
    _guardian(request).ensure_start_thread(forum)
    form = ThreadForm(request.POST or None, initial=_compose_initial(request, forum=forum))
    # Tags, prefix, poll: other apps' fields, checked before anything is written.
    extensions = hooks.compose_forms(forum, _guardian(request), request.POST or None)
    if (preview := _preview_html(request, form)) is not None:
        return render(
            request,
            "forums/start_thread.html",
            {
                "forum": forum,
                "form": form,
                "extensions": extensions,
                "notices": [],
                "preview_html": preview,
            },
        )
    extras_valid = all(ext.form.is_valid() for ext in extensions)
    if request.method == "POST" and not extras_valid:
        form.is_valid()
        form.add_error(None, "Some of the thread's details need a look; see below.")
    notices: list[hooks.ComposeNotice] = []
    # Before the first submit goes through, tell the member what they should know (for
    # example that the article is already discussed); a second submit posts anyway.
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["confirmed"]:
        notices = _same_thread_notices(request, forum, form.cleaned_data)
        notices += hooks.compose_notices(
            _guardian(request), form.cleaned_data["source"], form.cleaned_data["format"]
        )
    flooded: ratelimit.Verdict | None = None
    if request.method == "POST" and form.is_valid() and not notices:
        flooded = _flooding(request, "thread", forum.pk)
    if flooded:
        form.add_error(None, _flood_message("starting threads", flooded))
    elif request.method == "POST" and form.is_valid() and not notices:
        try:
            thread = services.start_thread(
                author=request.user,
                forum=forum,
                title=form.cleaned_data["title"],
                source=form.cleaned_data["source"],
                fmt=form.cleaned_data["format"],
                idempotency_key=form.cleaned_data["token"],
                ip=client_ip(request),
                extras=[ext.writer(request.user) for ext in extensions],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        except services.DuplicateSubmission as exc:
            return render(
                request,
                "forums/start_thread.html",
                {
                    "forum": forum,
                    "form": _resubmit_form(ThreadForm, request),
                    "extensions": extensions,
                    "notices": [],
                    "duplicate_of": post_location(exc.post, _guardian(request)),
                },
                status=409,
            )
        else:
            if thread.state == State.PENDING:
                messages.info(request, _awaiting(request, forum, form.cleaned_data))
            return redirect("forums:thread", pk=thread.pk)
    if notices:
        data = request.POST.copy()
        data["confirmed"] = "1"
        form = ThreadForm(data)
        form.is_valid()
        status = 200
    else:
        status = 429 if flooded else 400 if form.is_bound else 200
    return render(
        request,
        "forums/start_thread.html",
        {"forum": forum, "form": form, "notices": notices, "extensions": extensions},
        status=status,
    )


def _quote_prefill(request: HttpRequest, fmt: str) -> str:
    """The quote block of `?quote=<id>` for a reply written in `fmt`, or "" when there is
    no such post or this member may not read it."""
    quoted_id = ascii_int(request.GET.get("quote", ""))
    if quoted_id is None:
        return ""
    post = Post.objects.select_related("author", "thread__forum").filter(pk=quoted_id).first()
    if post is None or not _guardian(request).can_read_post(post):
        return ""
    return quote_block(post, fmt)


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _thread(request, pk)
    _guardian(request).ensure_reply(thread)
    flooded: ratelimit.Verdict | None = None
    if request.method == "POST":
        form = PostForm(request.POST)
        if (preview := _preview_html(request, form)) is not None:
            context = {"thread": thread, "form": form, "preview_html": preview}
            return render(request, "forums/reply.html", context)
        if form.is_valid() and (flooded := _flooding(request, "post", thread.forum_id)):
            form.add_error(None, _flood_message("posting", flooded))
        elif form.is_valid():
            try:
                post = services.reply_to_thread(
                    author=request.user,
                    thread=thread,
                    source=form.cleaned_data["source"],
                    fmt=form.cleaned_data["format"],
                    idempotency_key=form.cleaned_data["token"],
                    ip=client_ip(request),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except services.NotAccepted as exc:
                form.add_error(None, f"{exc} Your text is kept below.")
            except services.DuplicateSubmission as exc:
                context = {
                    "thread": thread,
                    "form": _resubmit_form(PostForm, request),
                    "duplicate_of": post_location(exc.post, _guardian(request)),
                }
                return render(request, "forums/reply.html", context, status=409)
            else:
                if post.state == State.PENDING:
                    messages.info(request, _awaiting(request, thread.forum, form.cleaned_data))
                return HttpResponseRedirect(post_location(post, _guardian(request)))
    else:
        initial = _compose_initial(request, thread=thread)
        if request.GET.get("format") in Post.Format.values:
            initial["format"] = request.GET["format"]
        quote = _quote_prefill(request, initial["format"])
        if quote:
            # A quote goes after the draft the member already has, never in place of it.
            draft = initial.get("source", "").rstrip("\n")
            initial["source"] = f"{draft}\n\n{quote}" if draft else quote
        form = PostForm(initial=initial)
    status = 429 if flooded else 400 if form.is_bound else 200
    return render(request, "forums/reply.html", {"thread": thread, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    _guardian(request).ensure_edit_post(post)
    if request.method == "POST":
        form = EditForm(request.POST)
        if (preview := _preview_html(request, form, post=post)) is not None:
            context = {
                "post": post,
                "form": form,
                "ask_reason": post.author_id != request.user.pk,
                "preview_html": preview,
            }
            return render(request, "forums/edit_post.html", context)
        if form.is_valid():
            try:
                post = services.edit_post(
                    editor=request.user,
                    post=post,
                    source=form.cleaned_data["source"],
                    fmt=form.cleaned_data["format"],
                    base_revision=form.cleaned_data.get("revision"),
                    reason=form.cleaned_data.get("reason", ""),
                    attachment_key=form.cleaned_data.get("token"),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except services.EditConflict as exc:
                # Keep the member's text; the next save is against the current revision.
                data = request.POST.copy()
                data["revision"] = str(Post.objects.get(pk=post.pk).revision)
                form = EditForm(data)
                form.is_valid()
                form.add_error(
                    None,
                    f"{exc} Your text is kept below; compare it with the current post "
                    "and save again.",
                )
            else:
                messages.success(request, "Post saved.")
                return HttpResponseRedirect(post_location(post, _guardian(request)))
    else:
        form = EditForm(
            initial={"source": post.source, "format": post.format, "revision": post.revision}
        )
    status = 400 if form.is_bound else 200
    is_other = post.author_id != request.user.pk
    return render(
        request,
        "forums/edit_post.html",
        {"post": post, "form": form, "ask_reason": is_other},
        status=status,
    )


@require_safe
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    _guardian(request).ensure_view_history(post)
    revisions = list(post.revisions.select_related("editor").order_by("-number"))
    return render(request, "forums/history.html", {"post": post, "revisions": revisions})


WHO_REACTED_PER_PAGE = 50


@require_safe
def post_reactions(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reacted to a post, by type: a 404 for whoever may not read the post."""
    if pk > 2**63 - 1:  # fits no row; the database would overflow instead of answering
        raise Http404("No such post.")
    post = _post(request, pk)
    raw = request.GET.get("type", "")
    type_id = None
    if raw:
        type_id = ascii_int(raw, max_digits=9)
        if type_id is None:
            raise Http404("No such reaction.")
    tabs, page = queries.who_reacted(post, type_id, request.GET.get("page"), WHO_REACTED_PER_PAGE)
    return render(
        request,
        "forums/reactions.html",
        {"post": post, "tabs": tabs, "page": page, "type_id": type_id},
    )


@login_required
@require_POST
def react(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    guardian = _guardian(request)
    back = HttpResponseRedirect(post_location(post, guardian))
    raw = request.POST.get("type", "")
    if raw == "":
        services.remove_reaction(member=request.user, post=post)
        return back
    type_id = ascii_int(raw)
    if type_id is None:
        messages.error(request, "Choose one of the reactions.")
        return back
    reaction_type = ReactionType.objects.filter(pk=type_id, is_active=True).first()
    if reaction_type is None:
        messages.error(request, "That reaction is not available.")
        return back
    guardian.ensure_react(post)
    if flooded := _flooding(request, "reaction", post.thread.forum_id):
        return render(
            request,
            "429.html",
            {
                "message": _flood_message("reacting", flooded, text_kept=False),
                "back": post_location(post, guardian),
            },
            status=429,
        )
    try:
        services.react_to_post(member=request.user, post=post, reaction_type=reaction_type)
    except services.NotAccepted as exc:
        messages.error(request, str(exc))
    return back
