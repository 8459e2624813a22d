"""The source map: every known domain and alias -> what the site is, which labels it carries,
whether it is trusted, and each forum's policy for it. Built with four queries and kept in
each process; the cache (shared by every process) holds only a version token that every
service changing a source, an alias, a label or a policy replaces. Resolving a URL costs one
small cache read and a dictionary look-up (bench/sources.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction

from .domains import host_of, parents
from .models import Source, SourceAlias, SourcePolicy

# Reading a small token is cheap; unpickling the whole map from the cache on every look-up
# cost about 2 ms with 150 sources.
VERSION_KEY = "parley:sources:map-version"


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


_built: tuple[str, SourceMap] | None = None


def build() -> SourceMap:
    sources = Source.objects.prefetch_related("labels").order_by("pk")
    infos: dict[int, SiteInfo] = {}
    result = SourceMap()
    for source in sources:
        info = SiteInfo(
            source_id=source.pk,
            domain=source.domain,
            name=source.display_name,
            country=str(source.country.name if source.country else ""),
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
    """The map for the current version token, built in this process at most once per
    change."""
    global _built
    token = cache.get(VERSION_KEY)
    if token is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        token = cache.get(VERSION_KEY)
    if _built is not None and _built[0] == token:
        return _built[1]
    found = build()
    _built = (token, found)
    return found


def invalidate() -> None:
    """A new version token now, and again after the surrounding transaction commits (a
    reader in between would otherwise keep a map built from the old rows)."""
    global _built
    _built = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def site_for_url(url: str) -> SiteInfo | None:
    return current().site_for_url(url)


def labels_for_url(url: str) -> tuple[str, ...]:
    info = site_for_url(url)
    return info.labels if info else ()


def is_trusted_url(url: str) -> bool:
    info = site_for_url(url)
    return bool(info and info.trusted)
