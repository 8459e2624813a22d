from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from parley.forums.models import Post
from parley.permissions.guardian import Guardian

from .models import LinkedPage, PostLink
from .notices import notice_html
from .previews import canonical_or_none
from .queries import discussions, has_pending

MAX_URL = 2000


@require_safe
def search_by_link(request: HttpRequest) -> HttpResponse:
    """Paste a URL, get every thread that linked that article."""
    raw = request.GET.get("url", "").strip()
    error, results = "", []
    if raw:
        key = canonical_or_none(raw) if len(raw) <= MAX_URL else None
        if key is None:
            error = (
                "That is not a web address Parley can look up "
                "(http or https, at most 2,000 characters)."
            )
        else:
            results = discussions({key}, Guardian.for_request(request), limit=100)
    status = 400 if error else 200
    return render(
        request,
        "links/search.html",
        {"url": raw, "error": error, "results": results},
        status=status,
    )


@require_safe
def discussed(request: HttpRequest) -> JsonResponse:
    """For the compose page's live check: where the given URL is already discussed."""
    raw = request.GET.get("url", "").strip()
    key = canonical_or_none(raw) if 0 < len(raw) <= MAX_URL else None
    if key is None:
        return JsonResponse({"error": "Not an http(s) address."}, status=400)
    found = discussions({key}, Guardian.for_request(request))
    return JsonResponse({"notices": [notice_html(d) for d in found]})


@require_safe
def post_preview_state(request: HttpRequest, pk: int) -> JsonResponse:
    """The post's current cooked HTML and whether link previews are still being fetched; the
    thread page polls this to show cards without a reload."""
    post = get_object_or_404(Post.objects.select_related("thread__forum"), pk=pk)
    Guardian.for_request(request).ensure_read_post(post)
    pending = has_pending(post.pk)
    return JsonResponse({"pending": pending, "revision": post.revision, "html": post.cooked_html})


@require_safe
def article_history(request: HttpRequest, pk: int) -> HttpResponse:
    """What Parley noticed about a linked article since it was shared: headline changes
    with their dates, when it went away and when it was last seen. Staff also read the text
    kept from a dead article. Open to whoever can read a post that links it (else 404)."""
    page = get_object_or_404(LinkedPage, pk=pk, status=LinkedPage.Status.OK, hidden=False)
    guardian = Guardian.for_request(request)
    visible = guardian.visible_posts(Post.objects.all())
    linking = PostLink.objects.filter(page=page, post__in=visible)
    if not linking.exists():
        raise Http404("No such page.")
    context = {
        "page": page,
        "changes": list(page.changes.order_by("at", "pk")),
        "show_text": page.is_dead and guardian.is_staff and bool(page.article_text),
    }
    return render(request, "links/history.html", context)
