"""Tags and thread prefixes.

Tags are site-wide (one "sanctions" tag across forums, one tag page); each forum says how
its threads may be tagged (`ForumTagging`). Prefixes ("Breaking", "Analysis") belong to one
forum; a thread has at most one (`ThreadPrefixChoice`). Forums never imports this app: the
forum page asks it for its filter and labels through `parley.forums.hooks` and template tags.
"""

from __future__ import annotations

from django.db import models


class TagMode(models.TextChoices):
    FREE = "free", "Members may create tags"
    LIST = "list", "Only the tags listed for the forum"
    OFF = "off", "No tags"


class Tag(models.Model):
    name = models.CharField(max_length=30)
    # The normalised key (parley.tags.normalise.tag_slug): what makes two spellings one tag.
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ForumTagging(models.Model):
    """How a forum's threads are tagged. A forum without a row allows free tagging with the
    default limit (`DEFAULT_MAX_TAGS`)."""

    forum = models.OneToOneField(
        "forums.Forum", on_delete=models.CASCADE, primary_key=True, related_name="tagging"
    )
    mode = models.CharField(max_length=4, choices=TagMode.choices, default=TagMode.FREE)
    max_tags = models.PositiveSmallIntegerField(default=5, help_text="Tags per thread, at most.")
    allowed = models.ManyToManyField(
        Tag, blank=True, related_name="+", help_text="The tags members may choose (fixed list)."
    )

    class Meta:
        verbose_name = "forum tagging rule"

    def __str__(self) -> str:
        return f"Tagging in forum {self.forum_id}: {self.mode}"


class ThreadTag(models.Model):
    thread = models.ForeignKey("forums.Thread", on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="thread_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "tag"], name="thread_tag_once")]
        # The tag page walks (tag, thread) in thread order.
        indexes = [models.Index(fields=["tag", "thread"], name="tag_threads")]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.thread_id}"


class PrefixStyle(models.TextChoices):
    RED = "red", "Red (breaking news)"
    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    PURPLE = "purple", "Purple"
    GREY = "grey", "Grey"


class ThreadPrefix(models.Model):
    forum = models.ForeignKey("forums.Forum", on_delete=models.CASCADE, related_name="prefixes")
    label = models.CharField(max_length=30)
    style = models.CharField(max_length=8, choices=PrefixStyle.choices, default=PrefixStyle.GREY)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "thread prefixes"
        constraints = [
            models.UniqueConstraint(fields=["forum", "label"], name="prefix_label_per_forum")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def css_class(self) -> str:
        return f"prefix prefix-{self.style}"


class ThreadPrefixChoice(models.Model):
    thread = models.OneToOneField(
        "forums.Thread", on_delete=models.CASCADE, primary_key=True, related_name="prefix_choice"
    )
    prefix = models.ForeignKey(ThreadPrefix, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        # The forum page's prefix filter finds threads by prefix.
        indexes = [models.Index(fields=["prefix", "thread"], name="threads_by_prefix")]

    def __str__(self) -> str:
        return f"{self.prefix_id} on {self.thread_id}"
