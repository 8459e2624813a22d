"""Every write to sources, labels and forum policies: keyword-only, atomic, checked by the
Guardian. The staff pages and the Django admin both come here. Each write drops the cached
source map and, when what a card shows changed (name, labels), queues the re-cook of the
posts that link the source, so their cards carry the new labels."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from parley.permissions.guardian import Guardian

from . import directory
from .domains import clean_domain
from .models import Action, Label, Source, SourceAlias, SourcePolicy


def _domain(value: str) -> str:
    try:
        return clean_domain(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="domain") from exc


def _recook_after_commit(source_id: int) -> None:
    from .tasks import recook_source_posts

    transaction.on_commit(lambda: recook_source_posts.enqueue(source_id))


def _check_free(domain: str, *, source_id: int | None) -> None:
    """A domain names one source: as a main domain or as an alias, never both."""
    sources = Source.objects.filter(domain=domain)
    aliases = SourceAlias.objects.filter(domain=domain)
    if source_id is not None:
        sources = sources.exclude(pk=source_id)
        aliases = aliases.exclude(source_id=source_id)
    taken = sources.exists() or aliases.exists()
    if taken:
        raise ValidationError(f"{domain} already belongs to another source.", code="taken")


def checked_domains(
    domain: str, aliases: Iterable[str], *, source_id: int | None = None
) -> tuple[str, list[str]]:
    """The cleaned main domain and aliases of a source, or ValidationError when one is not a
    domain or already names another source. Reads only (forms call it to validate)."""
    main = _domain(domain)
    alias_domains = sorted({_domain(a) for a in aliases if a.strip()} - {main})
    for each in (main, *alias_domains):
        _check_free(each, source_id=source_id)
    return main, alias_domains


@transaction.atomic
def save_source(
    *,
    actor: Any,
    domain: str,
    source: Source | None = None,
    name: str = "",
    country: str = "",
    kind: str = "",
    trusted: bool = False,
    label_ids: Iterable[int] = (),
    aliases: Iterable[str] = (),
) -> Source:
    """Create a source (`source=None`) or change one: its main domain, what it is called,
    where it is from, what kind it is, its labels, its aliases and whether it is trusted."""
    Guardian(actor).ensure_manage_sources()
    main, alias_domains = checked_domains(domain, aliases, source_id=source.pk if source else None)
    if kind and kind not in Source.Kind.values:
        raise ValidationError("Choose a kind from the list.", code="kind")
    labels = list(Label.objects.filter(pk__in=set(label_ids)))
    if len(labels) != len(set(label_ids)):
        raise ValidationError("One of those labels no longer exists.", code="label")
    if source is None:
        source = Source()
    source.domain = main
    source.name = name.strip()[:120]
    source.country = country
    source.kind = kind
    source.trusted = trusted
    try:
        with transaction.atomic():
            source.save()
            source.labels.set(labels)
            SourceAlias.objects.filter(source=source).exclude(domain__in=alias_domains).delete()
            for alias in alias_domains:
                SourceAlias.objects.get_or_create(source=source, domain=alias)
    except IntegrityError as exc:  # another staff member took the domain meanwhile
        raise ValidationError("That domain already belongs to another source.") from exc
    directory.invalidate()
    _recook_after_commit(source.pk)
    return source


@transaction.atomic
def set_source_labels(*, actor: Any, source: Source, label_ids: Iterable[int]) -> Source:
    Guardian(actor).ensure_manage_sources()
    wanted = set(label_ids)
    labels = list(Label.objects.filter(pk__in=wanted))
    if len(labels) != len(wanted):
        raise ValidationError("One of those labels no longer exists.", code="label")
    source.labels.set(labels)
    directory.invalidate()
    _recook_after_commit(source.pk)
    return source


@transaction.atomic
def delete_source(*, actor: Any, source: Source) -> None:
    """Forget what staff said about a site (it stays in the list of sites seen in posts)."""
    Guardian(actor).ensure_manage_sources()
    domains = [source.domain, *source.aliases.values_list("domain", flat=True)]
    source.delete()
    directory.invalidate()
    from .tasks import recook_domains

    transaction.on_commit(lambda: recook_domains.enqueue(domains))


@transaction.atomic
def save_label(
    *, actor: Any, name: str, description: str = "", position: int = 0, label: Label | None = None
) -> Label:
    Guardian(actor).ensure_manage_sources()
    name = " ".join(name.split())
    if not name or len(name) > 60:
        raise ValidationError("A label needs a name of 1 to 60 characters.", code="name")
    same_name = Label.objects.filter(name__iexact=name)
    if label is not None:
        same_name = same_name.exclude(pk=label.pk)
    if same_name.exists():
        raise ValidationError(f"There is already a label “{name}”.", code="taken")
    label = label or Label()
    label.name = name
    label.description = description.strip()[:300]
    label.position = position
    label.save()
    directory.invalidate()
    for source_id in label.sources.values_list("pk", flat=True):
        _recook_after_commit(source_id)
    return label


@transaction.atomic
def delete_label(*, actor: Any, label: Label) -> None:
    Guardian(actor).ensure_manage_sources()
    source_ids = list(label.sources.values_list("pk", flat=True))
    label.delete()
    directory.invalidate()
    for source_id in source_ids:
        _recook_after_commit(source_id)


@transaction.atomic
def set_forum_policy(
    *, actor: Any, forum: Any, source: Source, action: str, reason: str = ""
) -> SourcePolicy | None:
    """The forum's policy for the source; "allow" with no reason removes the row."""
    Guardian(actor).ensure_manage_sources()
    if action not in Action.values:
        raise ValidationError("Choose allow, approval or refuse.", code="action")
    reason = " ".join(reason.split())[:200]
    if action == Action.ALLOW and not reason:
        SourcePolicy.objects.filter(forum=forum, source=source).delete()
        directory.invalidate()
        return None
    policy, _ = SourcePolicy.objects.update_or_create(
        forum=forum, source=source, defaults={"action": action, "reason": reason}
    )
    directory.invalidate()
    return policy
