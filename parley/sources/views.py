"""Staff pages: the sites seen in posts (with counts and labels), and one source's record
and forum policies. The Guardian lets staff see them and super moderators edit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from parley.permissions.guardian import Guardian

from . import services
from .domains import clean_domain
from .forms import PolicyForm, SourceForm
from .models import Source
from .queries import sites_seen


@login_required
@require_safe
def source_list(request: HttpRequest) -> HttpResponse:
    guardian = Guardian.for_request(request)
    guardian.ensure_view_sources()
    search = request.GET.get("q", "")[:100]
    return render(
        request,
        "sources/list.html",
        {
            "sites": sites_seen(search=search),
            "search": search,
            "can_manage": guardian.can_manage_sources(),
        },
    )


def _initial(source: Source | None, domain: str) -> dict[str, Any]:
    if source is None:
        return {"domain": domain}
    return {
        "domain": source.domain,
        "name": source.name,
        "country": source.country,
        "kind": source.kind,
        "labels": list(source.labels.all()),
        "aliases": "\n".join(source.aliases.values_list("domain", flat=True)),
        "trusted": source.trusted,
    }


def _source_for(domain: str) -> Source | None:
    try:
        folded = clean_domain(domain)
    except ValueError:
        return None
    return Source.objects.filter(domain=folded).first()


@login_required
@require_http_methods(["GET", "POST"])
def edit_source(request: HttpRequest) -> HttpResponse:
    """Describe the site `?domain=` (creating its record the first time)."""
    guardian = Guardian.for_request(request)
    guardian.ensure_manage_sources()
    domain = request.GET.get("domain", "")[:253]
    source = _source_for(domain)
    if request.method == "POST":
        form = SourceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                source = services.save_source(
                    actor=request.user,
                    source=source,
                    domain=data["domain"],
                    name=data["name"],
                    country=data["country"] or "",
                    kind=data["kind"],
                    trusted=data["trusted"],
                    label_ids=[label.pk for label in data["labels"]],
                    aliases=form.alias_list(),
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"{source.display_name} saved.")
                return redirect(f"{reverse('sources:edit')}?domain={source.domain}")
    else:
        form = SourceForm(initial=_initial(source, domain))
    policies = source.policies.select_related("forum").order_by("forum__title") if source else []
    return render(
        request,
        "sources/edit.html",
        {
            "form": form,
            "source": source,
            "policies": policies,
            "policy_form": PolicyForm(),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def set_policy(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = Guardian.for_request(request)
    guardian.ensure_manage_sources()
    source = get_object_or_404(Source, pk=pk)
    form = PolicyForm(request.POST)
    back = f"{reverse('sources:edit')}?domain={source.domain}"
    if not form.is_valid():
        return render(
            request,
            "sources/edit.html",
            {
                "form": SourceForm(initial=_initial(source, source.domain)),
                "source": source,
                "policies": source.policies.select_related("forum").order_by("forum__title"),
                "policy_form": form,
            },
            status=400,
        )
    data = form.cleaned_data
    services.set_forum_policy(
        actor=request.user,
        forum=data["forum"],
        source=source,
        action=data["action"],
        reason=data["reason"],
    )
    messages.success(request, f"Policy for {source.display_name} in {data['forum'].title} saved.")
    return redirect(back)
