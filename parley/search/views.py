from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from parley.core import ratelimit
from parley.core.clientip import client_ip
from parley.forums.models import Category, Forum
from parley.permissions.guardian import Guardian

from .conversations import search_conversations
from .forms import SearchForm, read_search_form
from .queries import search_members, search_posts


@dataclass(frozen=True)
class Place:
    value: str
    label: str


def _places(guardian: Guardian) -> list[Place]:
    """The "in" choices: each category (with everything under it) and each forum the reader
    sees, indented under its category."""
    forums: dict[int, list[Forum]] = {}
    for forum in guardian.visible_forums(Forum.objects.order_by("position", "pk")):
        forums.setdefault(forum.category_id, []).append(forum)
    places = []
    for category in Category.objects.order_by("position", "pk"):
        if category.pk in forums:
            places.append(Place(f"category-{category.pk}", f"{category.title} (all forums)"))
            places += [Place(f"forum-{f.pk}", f"— {f.title}") for f in forums[category.pk]]
    return places


def _page_link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return "?" + urlencode(sorted(params.items()))


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """/search/?q=…: posts (or threads) and members matching the words."""
    guardian = Guardian.for_request(request)
    form: SearchForm = read_search_form(request.GET)
    context: dict[str, object] = {"form": form, "results": None, "members": []}
    status = 200
    if form.q and not form.errors:
        verdict = ratelimit.hit("search", client_ip(request))
        if not verdict.allowed:
            form.errors["q"] = (
                f"That is a lot of searching: try again in {verdict.minutes} minute"
                f"{'s' if verdict.minutes != 1 else ''}."
            )
            status = 429
    if form.errors:
        status = status if status == 429 else 400
    elif form.query is not None:
        results = search_posts(
            guardian, form.query, form.filters, form.sort, form.page, grouped=form.grouped
        )
        context["results"] = results
        if results.has_next:
            context["next_link"] = _page_link(request, results.page + 1)
        if results.page > 1:
            context["previous_link"] = _page_link(request, results.page - 1)
        if results.page == 1 and not form.has_filters:
            context["members"] = search_members(form.q)
            # One's own private conversations, for a participant only (never counted for
            # anyone else).
            context["conversation_hits"] = search_conversations(request.user, form.query)
    context["places"] = _places(guardian)
    return render(request, "search/search.html", context, status=status)
