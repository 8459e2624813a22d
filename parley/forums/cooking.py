"""Cook a post's source for storage: formatting does the pure work; this module supplies the
lookups it needs (which @names exist, where a post lives, what is known of linked pages)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence

from django.db.models.functions import Lower
from django.urls import reverse

from parley.formatting import Cooked, LinkPreview, cook
from parley.members.models import Member

PreviewProvider = Callable[[Sequence[str]], Mapping[str, LinkPreview]]

# The links app registers its provider when it is installed; forums never imports it.
_preview_providers: list[PreviewProvider] = []


def register_preview_provider(provider: PreviewProvider) -> None:
    if provider not in _preview_providers:
        _preview_providers.append(provider)


def resolve_mentions(candidates: Collection[str]) -> dict[str, str]:
    wanted = {c.lower(): c for c in candidates}
    if not wanted:
        return {}
    found = (
        Member.objects.annotate(lname=Lower("username"))
        .filter(lname__in=list(wanted))
        .values_list("lname", "username")
    )
    return {wanted[lname]: reverse("members:profile", args=[username]) for lname, username in found}


def post_url(post_id: int) -> str:
    return reverse("forums:post", args=[post_id])


def known_previews(urls: Sequence[str]) -> dict[str, LinkPreview]:
    previews: dict[str, LinkPreview] = {}
    for provider in _preview_providers:
        previews.update(provider(urls))
    return previews


def cook_post(source: str, fmt: str) -> Cooked:
    cooked = cook(source, fmt, resolve_mentions=resolve_mentions, post_url=post_url)
    if cooked.links and _preview_providers:
        previews = known_previews([link.url for link in cooked.links])
        if previews:
            cooked = cook(
                source,
                fmt,
                resolve_mentions=resolve_mentions,
                post_url=post_url,
                previews=previews,
            )
    return cooked
