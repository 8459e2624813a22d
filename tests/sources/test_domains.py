"""Which site an address belongs to (pure functions) and the cached map of sources."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parley.sources import directory, services
from parley.sources.domains import clean_domain, fold_host, host_of, parents
from tests.sources.helpers import describe


@pytest.mark.parametrize(
    ("host", "folded"),
    [
        ("WWW.BBC.co.uk.", "bbc.co.uk"),
        ("m.example.org", "example.org"),
        ("amp.www.example.org", "example.org"),
        ("www2.example.org", "example.org"),
        ("news.example.org", "news.example.org"),
        ("www.com", "www.com"),  # never folded down to a bare top-level domain
    ],
)
def test_fold_host_drops_variant_prefixes(host: str, folded: str) -> None:
    assert fold_host(host) == folded


def test_host_of_reads_http_addresses_only() -> None:
    assert host_of("https://M.Example.org:443/a?b=1") == "example.org"
    assert host_of("ftp://example.org/file") == ""
    assert host_of("http://[::1/") == ""


def test_parents_walk_up_to_two_labels() -> None:
    assert parents("news.bbc.co.uk") == ["news.bbc.co.uk", "bbc.co.uk", "co.uk"]


@pytest.mark.parametrize(
    ("typed", "domain"),
    [
        ("https://www.Example.org/news/1", "example.org"),
        ("example.org/path", "example.org"),
        ("Bücher.example", "xn--bcher-kva.example"),
    ],
)
def test_clean_domain_accepts_what_staff_paste(typed: str, domain: str) -> None:
    assert clean_domain(typed) == domain


@pytest.mark.parametrize("typed", ["", "localhost", "not a domain", "exa_mple.org", "-a.org"])
def test_clean_domain_refuses_what_is_not_a_domain(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a domain"):
        clean_domain(typed)


@pytest.mark.django_db
def test_the_map_resolves_subdomains_and_aliases_from_the_cache(admin) -> None:
    describe(
        admin, "wiredesk.test", name="Wire Desk", labels=("Press agency",), aliases=["wd.test"]
    )
    assert directory.site_for_url("https://www.wiredesk.test/a").name == "Wire Desk"
    assert directory.site_for_url("https://world.wiredesk.test/b").labels == ("Press agency",)
    assert directory.site_for_url("https://m.wd.test/c").domain == "wiredesk.test"
    assert directory.site_for_url("https://notwiredesk.test/") is None
    with CaptureQueriesContext(connection) as queries:
        directory.site_for_url("https://wiredesk.test/again")
    assert len(queries.captured_queries) == 0


@pytest.mark.django_db
def test_a_change_drops_the_cached_map(admin) -> None:
    source = describe(admin, "wiredesk.test", name="Wire Desk")
    assert directory.site_for_url("https://wiredesk.test/").name == "Wire Desk"
    services.save_source(actor=admin, source=source, domain="wiredesk.test", name="The Wire")
    assert directory.site_for_url("https://wiredesk.test/").name == "The Wire"
