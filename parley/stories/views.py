"""Staff pages for stories: the list of groupings, one story's articles with "take out"
buttons and a merge form. Only those the Guardian lets manage stories see them (404 to
everyone else); every change goes through `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from parley.permissions.guardian import Guardian

from . import services
from .forms import MergeForm, SearchForm, SplitForm
from .models import Story, StoryPage

LIST_SIZE = 50


def _staff(request: HttpRequest) -> Guardian:
    guardian = Guardian.for_request(request)
    guardian.ensure_manage_stories()
    return guardian


def _story(pk: int) -> Story:
    story = Story.objects.filter(pk=pk).first() if pk <= 2**63 - 1 else None
    if story is None:
        raise Http404("No such story.")
    return story


@login_required
@require_safe
def story_list(request: HttpRequest) -> HttpResponse:
    """Stories grouping several articles, newest first; with `q`, every story (alone or
    not) whose article headlines contain it, so a page to merge can be found."""
    _staff(request)
    form = SearchForm(request.GET)
    stories = Story.objects.annotate(pages=Count("entries"), latest=Max("entries__published_at"))
    status = 200
    if form.is_valid() and form.cleaned_data["q"]:
        stories = stories.filter(entries__page__headline__icontains=form.cleaned_data["q"])
    elif form.is_valid():
        stories = stories.filter(pages__gt=1)
    else:
        stories = stories.none()
        status = 400
    rows = list(stories.order_by("-latest", "-pk").distinct()[:LIST_SIZE])
    return render(request, "stories/list.html", {"form": form, "stories": rows}, status=status)


def _detail(
    request: HttpRequest, story: Story, merge_form: MergeForm, status: int = 200
) -> HttpResponse:
    entries = (
        StoryPage.objects.filter(story=story)
        .select_related("page")
        .defer("terms", "page__article_text")
        .order_by("published_at", "page_id")
    )
    return render(
        request,
        "stories/detail.html",
        {"story": story, "entries": entries, "merge_form": merge_form},
        status=status,
    )


@login_required
@require_safe
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    return _detail(request, _story(pk), MergeForm())


@login_required
@require_POST
def split(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    story = _story(pk)
    form = SplitForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an article of this story to take out.")
        return redirect("stories:detail", pk=story.pk)
    page_id = form.cleaned_data["page_id"]
    if not StoryPage.objects.filter(story=story, page_id=page_id).exists():
        messages.error(request, "That article is not in this story.")
        return redirect("stories:detail", pk=story.pk)
    try:
        new = services.split_page(page_id=page_id)
    except services.StoryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The article is now a story of its own (number {new.pk}).")
    return redirect("stories:detail", pk=story.pk)


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    story = _story(pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        try:
            services.merge_stories(into_id=story.pk, from_id=form.cleaned_data["other"])
        except services.StoryError as exc:
            form.add_error("other", str(exc))
        else:
            messages.success(request, f"Story {form.cleaned_data['other']} merged into this one.")
            return redirect("stories:detail", pk=story.pk)
    return _detail(request, story, form, status=400)
