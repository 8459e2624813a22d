"""Re-cook the posts that link a source after staff changed what its cards show (labels,
name). Cards are cooked into posts, so the thread page pays nothing to show labels; the
price is this background re-cook, once per change."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django_tasks import task

from parley.links.models import LinkedPage
from parley.links.tasks import rebake_linking_posts

from .domains import host_of, parents
from .models import Source


def pages_of_domains(domains: Iterable[str]) -> list[int]:
    """Ids of the linked pages whose address (as written or as resolved) is on one of these
    domains or their subdomains."""
    wanted = set(domains)
    if not wanted:
        return []
    narrow = Q()
    for domain in wanted:
        for column in ("key", "resolved_key"):
            narrow |= Q(**{f"{column}__startswith": f"https://{domain}/"})
            narrow |= Q(**{f"{column}__contains": f".{domain}/"})
    found = []
    for pk, key, resolved in LinkedPage.objects.filter(narrow).values_list(
        "pk", "key", "resolved_key"
    ):
        hosts = {host_of(key), host_of(resolved)} - {""}
        if any(set(parents(host)) & wanted for host in hosts):
            found.append(pk)
    return found


@task()
def recook_domains(domains: list[str]) -> int:
    """Re-cook every post linking a page on these domains; returns how many changed."""
    return sum(rebake_linking_posts(page_id) for page_id in pages_of_domains(domains))


@task()
def recook_source_posts(source_id: int) -> int:
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    domains = [source.domain, *source.aliases.values_list("domain", flat=True)]
    return sum(rebake_linking_posts(page_id) for page_id in pages_of_domains(domains))
