"""Read side: the sites members link, with counts, for the staff list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from parley.forums.models import State
from parley.links.models import PostLink

from . import directory
from .domains import host_of
from .models import Source


@dataclass
class SiteSeen:
    domain: str  # the source's main domain when known, else the folded host
    posts: set[int] = field(default_factory=set)
    threads: set[int] = field(default_factory=set)
    last_seen: datetime | None = None
    source: Source | None = None

    @property
    def post_count(self) -> int:
        return len(self.posts)

    @property
    def thread_count(self) -> int:
        return len(self.threads)


def sites_seen(*, search: str = "", limit: int = 200) -> list[SiteSeen]:
    """Every site linked from a post that is not deleted (known sources and sites nobody
    described yet), most linked first, then the described sources nobody linked. One pass
    over the post links, read as plain tuples (bench/sources.py measures it)."""
    sources = directory.current()
    sites: dict[str, SiteSeen] = {}
    links = PostLink.objects.exclude(post__state=State.DELETED).values_list(
        "page__key", "page__resolved_key", "post_id", "post__thread_id", "post__created_at"
    )
    for key, resolved, post_id, thread_id, created in links.iterator(chunk_size=2000):
        host = host_of(resolved or key)
        if not host:
            continue
        info = sources.site_for_host(host)
        domain = info.domain if info else host
        site = sites.get(domain)
        if site is None:
            site = sites[domain] = SiteSeen(domain=domain)
        site.posts.add(post_id)
        site.threads.add(thread_id)
        if site.last_seen is None or created > site.last_seen:
            site.last_seen = created
    for info in sources.by_domain.values():  # described sources nobody linked yet
        if info.domain not in sites:
            sites[info.domain] = SiteSeen(domain=info.domain)
    found = list(sites.values())
    if search := search.strip().lower():
        found = [s for s in found if search in s.domain]
    found.sort(key=lambda s: (-s.post_count, -s.thread_count, s.domain))
    found = found[:limit]
    known = {
        s.domain: s
        for s in Source.objects.filter(domain__in=[x.domain for x in found]).prefetch_related(
            "labels"
        )
    }
    for site in found:
        site.source = known.get(site.domain)
    return found
