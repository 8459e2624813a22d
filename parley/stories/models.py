"""One story across outlets: `LinkedPage`s (parley.links) that report the same event from
different sites share a `Story`. Every fetched page has one `StoryPage` row (a page nobody
else covered is a story of one), so "who else covered this" is a join, never a search."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Story(models.Model):
    created_at = models.DateTimeField(default=timezone.now)
    # The headline of its earliest page, for staff lists (refreshed when pages come and go).
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or f"story {self.pk}"


class StoryPage(models.Model):
    page = models.OneToOneField(
        "links.LinkedPage", on_delete=models.CASCADE, related_name="story_entry"
    )
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="entries")
    # When the article was published (its metadata), else when Parley fetched it: the
    # clustering window is measured on this.
    published_at = models.DateTimeField(db_index=True)
    # The page's weighted terms (stories.text.terms), kept so that comparing a new page with
    # the window reads a few hundred small rows, not a few hundred article texts.
    terms = models.JSONField(default=dict)
    score = models.FloatField(default=0.0, help_text="Similarity to the page it joined by.")
    # Staff split or merged it: re-clustering leaves it where it is.
    fixed_by_staff = models.BooleanField(default=False)
    # A page staff took out of a story draws no other page into its own.
    attracts = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["story", "page"], name="storypage_by_story")]

    def __str__(self) -> str:
        return f"page {self.page_id} in story {self.story_id}"
