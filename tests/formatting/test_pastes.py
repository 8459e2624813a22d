"""Article-paste detection and the quote it produces."""

from __future__ import annotations

import random

import pytest

from parley.formatting import LinkPreview, cook, find_pasted_paragraphs, quoted_share

from .htmlcheck import parse

ARTICLE = """The harbour authority said on Monday that the northern pier will stay closed to \
ferries until the end of March while engineers repair storm damage to its foundations.

Officials estimated the repairs at roughly twelve million, a figure that the town council \
described as "far higher than anything we had been led to expect" during last month's meeting.

Fishing crews, who have used the southern pier as a temporary base, complained that the \
crowded berths were slowing down their morning landings and costing them buyers.

A spokesperson for the ferry operator said timetables would be reduced on two routes and \
that passengers should check for updates before travelling to the island."""

PARAS = [p.replace("\\\n", "") for p in ARTICLE.split("\n\n")]
URL = "https://coast.example/news/pier"
PREVIEW = LinkPreview(
    url=URL,
    title="Pier closed until March | Local | coast.example",
    site_name="Coast Example",
    author="Sam Lee",
    published="2026-03-02",
    article_text=ARTICLE,
)


def test_exact_paragraphs_detected() -> None:
    assert find_pasted_paragraphs(PARAS, ARTICLE) == [True, True, True, True]


def test_small_edits_whitespace_and_quotes_still_detected() -> None:
    edited = [
        PARAS[0].replace("Monday", "Tuesday").replace("  ", " ").upper(),
        PARAS[1].replace('"', "\u201c", 1).replace('"', "\u201d").replace(" ", "   "),
        PARAS[2].replace("crowded", "packed").replace("Fishing crews", "Fishermen"),
    ]
    assert find_pasted_paragraphs(edited, ARTICLE) == [True, True, True]


def test_own_words_and_unrelated_text_not_detected() -> None:
    own = [
        "The council should have fixed this years ago, honestly.",
        "My cousin works on the ferries and says nobody is surprised.",
        "Ferries",  # too short to tell
        "",
    ]
    assert find_pasted_paragraphs(own, ARTICLE) == [False, False, False, False]


def test_empty_article() -> None:
    assert find_pasted_paragraphs(PARAS, "") == [False] * 4
    assert quoted_share(PARAS, "") == 0.0


def test_quoted_share() -> None:
    assert quoted_share(PARAS, ARTICLE) == pytest.approx(1.0)
    share = quoted_share(PARAS[:2], ARTICLE)
    words_first_two = len(" ".join(PARAS[:2]).split())
    assert share == pytest.approx(words_first_two / len(ARTICLE.split()), abs=0.03)
    assert quoted_share(["The council should have fixed this years ago."], ARTICLE) == 0.0


def test_large_inputs_work() -> None:
    rng = random.Random(7)
    vocab = [f"w{i}" for i in range(3000)]
    article = " ".join(rng.choice(vocab) for _ in range(10_000))
    words = article.split()
    pasted = [" ".join(words[i : i + 80]) for i in range(0, 4000, 80)]
    own = [" ".join(rng.choice(vocab) for _ in range(80)) for _ in range(12)]
    flags = find_pasted_paragraphs(pasted + own, article)
    assert flags == [True] * len(pasted) + [False] * len(own)
    assert quoted_share(pasted, article) == pytest.approx(0.4, abs=0.01)


@pytest.mark.parametrize("fmt", ["bbcode", "markdown"])
def test_cook_wraps_pasted_paragraphs_in_article_quote(fmt: str) -> None:
    src = "\n\n".join(
        [
            PARAS[0],
            PARAS[1].replace("twelve", "12"),
            f"More here: {URL}",
            "What a mess. The council should have fixed this years ago.",
        ]
    )
    c = cook(src, fmt, previews={URL: PREVIEW})
    p = parse(c.html)
    quotes = p.with_class("article-quote")
    assert len(quotes) == 1
    body_start = c.html.index('<div class="quote-body">')
    footer = c.html.index("<footer>")
    assert body_start < c.html.index("harbour authority") < footer
    assert c.html.index("roughly 12 million") < footer  # edited, still inside
    assert c.html.index("led to expect") < footer
    # the member's own words stay outside the quote
    assert c.html.index("What a mess") > c.html.index("</blockquote>")
    assert c.html.index("More here:") > c.html.index("</blockquote>")
    assert '<cite><a href="https://coast.example/news/pier"' in c.html
    assert "Sam Lee" in c.html and '<time datetime="2026-03-02">' in c.html
    assert [x.url for x in c.links] == [URL]  # the citation link is not a new link


def test_cook_splits_bbcode_lines() -> None:
    src = f"{PARAS[0]}\n{PARAS[1]}\nMore here: {URL}\nThe council should have known."
    c = cook(src, "bbcode", previews={URL: PREVIEW})
    html = c.html
    assert html.index("led to expect") < html.index("</blockquote>") < html.index("More here")
    assert "<br>" in html[: html.index("</blockquote>")]


def test_paragraph_between_pastes_keeps_two_quotes() -> None:
    src = "\n\n".join([PARAS[0], "I disagree with this part.", PARAS[2], URL])
    c = cook(src, "markdown", previews={URL: PREVIEW})
    assert len(parse(c.html).with_class("article-quote")) == 2


def test_no_wrapping_without_link_to_article() -> None:
    c = cook(PARAS[0], "markdown", previews={URL: PREVIEW})
    assert "blockquote" not in c.html


def test_already_quoted_text_is_not_wrapped_again() -> None:
    src = f"[quote]{PARAS[0]}[/quote]\n\n{URL}"
    c = cook(src, "bbcode", previews={URL: PREVIEW})
    assert len(parse(c.html).tags("blockquote")) == 1
    assert not parse(c.html).with_class("article-quote")


def test_markdown_single_newlines_own_line_stays_outside() -> None:
    src = f"{PARAS[0]}\n{PARAS[1]}\nI think they knew all along.\n\n{URL}"
    c = cook(src, "markdown", previews={URL: PREVIEW})
    html = c.html
    end = html.index("</blockquote>")
    assert html.index("led to expect") < end < html.index("I think they knew")
    # the pasted lines keep their original (soft) line break inside the quote
    assert "<br>" not in html[:end]


def test_news_post_end_to_end() -> None:
    """The shape of a typical news post: photo with caption and credit, pasted article
    paragraphs, a link whose text becomes the page title, and the member's own opinion."""
    src = (
        '[img caption="Ferries waiting off the southern pier." credit="Photograph: Example '
        'Agency"]https://img.coast.example/pier.jpg[/img]\n'
        f"{PARAS[0]}\n{PARAS[2]}\n{PARAS[3]}\n"
        f"More here: {URL}\n"
        "Twelve million for a pier. Somebody is getting rich."
    )
    c = cook(src, "bbcode", previews={URL: PREVIEW})
    p = parse(c.html)
    assert len(p.tags("figure")) == 1
    assert len(p.with_class("article-quote")) == 1
    html = c.html
    assert html.index("</figure>") < html.index("harbour authority") < html.index("</blockquote>")
    assert html.index("</blockquote>") < html.index("More here:") < html.index("Somebody")
    assert ">Pier closed until March | Local | coast.example</a>" in html
    assert [(x.url, x.bare, x.alone) for x in c.links] == [(URL, True, False)]
    assert c.text.splitlines()[-1] == "Twelve million for a pier. Somebody is getting rich."
    assert quoted_share(c.text.splitlines(), ARTICLE) > 0.6
