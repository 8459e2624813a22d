"""@mentions: one resolver call, unknown names stay text, never inside code, links or URLs."""

from __future__ import annotations

from collections.abc import Collection

import pytest

from parley.formatting import cook

from .htmlcheck import parse

MEMBERS = {"bob": "/members/bob/", "alice": "/members/alice/", "j.doe_2": "/members/j.doe_2/"}


class Resolver:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []

    def __call__(self, names: Collection[str]) -> dict[str, str]:
        self.calls.append(tuple(names))
        return {n: MEMBERS[n.lower()] for n in names if n.lower() in MEMBERS}


@pytest.fixture
def resolver() -> Resolver:
    return Resolver()


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_resolver_called_once_with_all_candidates(fmt: str, resolver: Resolver) -> None:
    c = cook("@bob and @alice, again @bob and @nobody", fmt, resolve_mentions=resolver)
    assert resolver.calls == [("bob", "alice", "nobody")]
    assert c.mentions == ("bob", "alice")
    mentions = parse(c.html).with_class("mention")
    assert [m.attrs["href"] for m in mentions] == [
        "/members/bob/",
        "/members/alice/",
        "/members/bob/",
    ]
    assert "@nobody" in c.text
    assert '<a class="mention" href="/members/bob/"' in c.html
    assert ">@bob</a>" in c.html


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_no_candidates_no_call(fmt: str, resolver: Resolver) -> None:
    c = cook("nobody mentioned here, mail me at a@b.example", fmt, resolve_mentions=resolver)
    assert resolver.calls == []
    assert c.mentions == ()


def test_without_resolver_names_stay_text() -> None:
    c = cook("hi @bob", "bbcode")
    assert "<a" not in c.html
    assert c.text == "hi @bob"


def test_case_insensitive_spellings_share_one_candidate(resolver: Resolver) -> None:
    c = cook("@Bob and @BOB and @bob", "bbcode", resolve_mentions=resolver)
    assert resolver.calls == [("Bob",)]
    assert c.mentions == ("Bob",)
    assert [e.attrs["href"] for e in parse(c.html).with_class("mention")] == ["/members/bob/"] * 3
    assert ">@BOB</a>" in c.html


def test_username_shape(resolver: Resolver) -> None:
    c = cook("(@j.doe_2.) @bob- @x" + "y" * 40, "bbcode", resolve_mentions=resolver)
    assert resolver.calls == [("j.doe_2", "bob")]
    assert c.mentions == ("j.doe_2", "bob")
    assert ">@j.doe_2</a>." in c.html
    assert ">@bob</a>-" in c.html


@pytest.mark.parametrize(
    ("fmt", "src"),
    [
        ("bbcode", "[code]@bob[/code]"),
        ("bbcode", "[code]\n@bob\n[/code]"),
        ("bbcode", "[url=https://example.com]@bob[/url]"),
        ("bbcode", "https://example.com/@bob"),
        ("bbcode", "[url]https://example.com/@bob[/url]"),
        ("bbcode", "mail bob@example.com"),
        ("markdown", "`@bob`"),
        ("markdown", "```\n@bob\n```"),
        ("markdown", "[@bob](https://example.com)"),
        ("markdown", "https://example.com/@bob"),
        ("markdown", "<https://example.com/@bob>"),
        ("markdown", "mail bob@example.com"),
    ],
)
def test_not_a_mention_inside_code_links_urls(fmt: str, src: str, resolver: Resolver) -> None:
    c = cook(src, fmt, resolve_mentions=resolver)
    assert resolver.calls == []
    assert not parse(c.html).with_class("mention")


def test_mention_in_markdown_emphasis_and_underscore_names(resolver: Resolver) -> None:
    c = cook("**@alice** and @j.doe_2", "markdown", resolve_mentions=resolver)
    assert resolver.calls == [("alice", "j.doe_2")]
    assert "<strong><a class=" in c.html


def test_mention_inside_quote_counts(resolver: Resolver) -> None:
    c = cook("[quote=x]@alice[/quote]", "bbcode", resolve_mentions=resolver)
    assert c.mentions == ("alice",)
