"""The source map: every known domain and alias -> what the site is, which labels it carries,
whether it is trusted, and each forum's policy for it. Built with four queries, kept in the
cache (shared by every process) and dropped whenever a service changes a source, a label or
a policy, so resolving a URL costs a dictionary look-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction

from .domains import host_of, parents
from .models import Source, SourceAlias, SourcePolicy

CACHE_KEY = "parley:sources:map:v1"
CACHE_SECONDS = 3600


@dataclass(frozen=True)
class SiteInfo:
    source_id: int
    domain: str
    name: str
    country: str
    kind: str
    labels: tuple[str, ...] = ()
    trusted: bool = False


@dataclass
class SourceMap:
    by_domain: dict[str, SiteInfo] = field(default_factory=dict)
    # forum id -> source id -> (action, reason)
    policies: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)

    def site_for_host(self, host: str) -> SiteInfo | None:
        for domain in parents(host) if host else ():
            if (info := self.by_domain.get(domain)) is not None:
                return info
        return None

    def site_for_url(self, url: str) -> SiteInfo | None:
        return self.site_for_host(host_of(url))


def build() -> SourceMap:
    sources = Source.objects.prefetch_related("labels").order_by("pk")
    infos: dict[int, SiteInfo] = {}
    result = SourceMap()
    for source in sources:
        info = SiteInfo(
            source_id=source.pk,
            domain=source.domain,
            name=source.display_name,
            country=str(source.country or ""),
            kind=source.get_kind_display() if source.kind else "",
            labels=tuple(label.name for label in source.labels.all()),
            trusted=source.trusted,
        )
        infos[source.pk] = info
        result.by_domain[source.domain] = info
    for domain, source_id in SourceAlias.objects.values_list("domain", "source_id"):
        result.by_domain.setdefault(domain, infos[source_id])
    for forum_id, source_id, action, reason in SourcePolicy.objects.values_list(
        "forum_id", "source_id", "action", "reason"
    ):
        result.policies.setdefault(forum_id, {})[source_id] = (action, reason)
    return result


def current() -> SourceMap:
    found = cache.get(CACHE_KEY)
    if found is None:
        found = build()
        cache.set(CACHE_KEY, found, CACHE_SECONDS)
    return found


def invalidate() -> None:
    """Drop the map now and again after the surrounding transaction commits (a reader in
    between would otherwise cache the old rows again)."""
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))


def site_for_url(url: str) -> SiteInfo | None:
    return current().site_for_url(url)


def labels_for_url(url: str) -> tuple[str, ...]:
    info = site_for_url(url)
    return info.labels if info else ()


def is_trusted_url(url: str) -> bool:
    info = site_for_url(url)
    return bool(info and info.trusted)
