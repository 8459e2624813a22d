"""The search index's content table: one row per visible post, its text already folded
(`normalise.index_text`). The engine's own index hangs off it, created by the migration for
the database in use: an FTS5 external-content table kept in step by triggers on SQLite, a
generated `tsvector` column with a GIN index on PostgreSQL (docs/search.md)."""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    # No foreign-key constraint and no cascade: deleting a post must not cost the forums app
    # an extra query; the subscriber removes the row, and searches join the live post row.
    post = models.OneToOneField(
        "forums.Post",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_document",
    )
    # Where the post was when indexed: lets a thread deleted for good take its rows along
    # (its posts are gone, so nothing else finds them). Merges and splits re-index.
    thread_id = models.IntegerField(db_index=True)
    # The post's own time (it never changes): "newest first" shortlists from this table alone.
    created_at = models.DateTimeField()
    # The thread title, on the thread's first post only (so "titles only" finds threads).
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Search document of post {self.post_id}"
