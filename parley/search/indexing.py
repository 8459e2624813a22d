"""Writing the index: a post has a document exactly when it exists and is visible. Every
function here re-reads the posts, so running it twice, late or out of order gives the same
index (what the event subscriber and `parley reindex` rely on)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import transaction

from parley.forums.models import Post, State, Thread

from .models import SearchDocument
from .normalise import index_text

BATCH = 2000


def _document(post: Post) -> SearchDocument:
    thread = post.thread
    title = thread.title if thread.first_post_id == post.pk else ""
    return SearchDocument(
        post_id=post.pk,
        thread_id=post.thread_id,
        created_at=post.created_at,
        title=index_text(title),
        body=index_text(post.plain_text),
    )


def refresh_posts(post_ids: Iterable[int]) -> int:
    """Bring the documents of these posts in step with the posts; returns how many are
    indexed now."""
    ids = sorted(set(post_ids))
    if not ids:
        return 0
    posts = (
        Post.objects.filter(pk__in=ids, state=State.VISIBLE)
        .select_related("thread")
        .only(
            "pk", "thread_id", "created_at", "plain_text", "thread__title", "thread__first_post_id"
        )
    )
    documents = [_document(p) for p in posts]
    with transaction.atomic():
        # Delete then insert (never UPDATE in place): the FTS5 triggers remove the old
        # words and add the new ones.
        SearchDocument.objects.filter(post_id__in=ids).delete()
        SearchDocument.objects.bulk_create(documents)
    return len(documents)


def refresh_thread(thread_id: int) -> int:
    """Every post of a thread (a merge or a split changes which post carries the title)."""
    ids = list(Post.objects.filter(thread_id=thread_id).values_list("pk", flat=True))
    return sum(refresh_posts(ids[i : i + BATCH]) for i in range(0, len(ids), BATCH))


def forget_thread(thread_id: int) -> int:
    """Drop the rows of a thread that no longer exists (deleted for good with its posts)."""
    if Thread.objects.filter(pk=thread_id).exists():
        return 0
    deleted, _ = SearchDocument.objects.filter(thread_id=thread_id).delete()
    return deleted


def rebuild(batch: int = BATCH) -> Iterator[tuple[int, int]]:
    """Re-index every post, `batch` at a time, then drop documents of posts that are gone;
    yields (posts done, posts in all) after each batch."""
    total = Post.objects.count()
    done, last = 0, 0
    while True:
        ids = list(
            Post.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        refresh_posts(ids)
        done, last = done + len(ids), ids[-1]
        yield done, total
    stale = SearchDocument.objects.exclude(
        post_id__in=Post.objects.filter(state=State.VISIBLE).values("pk")
    )
    stale.delete()
