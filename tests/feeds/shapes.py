"""Feeds as outlets really publish them, written for these tests (our own words)."""

from __future__ import annotations

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>The Harbour Times: World</title>
<link>https://harbourtimes.test/world</link>
<description>World news</description>
{items}
</channel>
</rss>"""

RSS_ITEM = """<item>
<title>{title}</title>
<link>{link}</link>
<guid isPermaLink="false">{guid}</guid>
<pubDate>{date}</pubDate>
<dc:creator>Ines Moreau</dc:creator>
<description>{summary}</description>
{content}
</item>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>Steppe Courier</title>
<id>tag:steppecourier.test,2026:feed</id>
<updated>2026-11-24T10:00:00Z</updated>
<link rel="self" href="https://steppecourier.test/feed.atom"/>
{entries}
</feed>"""

ATOM_ENTRY = """<entry>
<title type="html">{title}</title>
<id>{guid}</id>
<link rel="alternate" href="{link}"/>
<updated>{date}</updated>
<author><name>Daniyar Sultanov</name></author>
{summary}
{content}
</entry>"""


def rss(*items: dict[str, str]) -> str:
    rendered = []
    for n, item in enumerate(items):
        values = {
            "title": f"Story {n}",
            "link": f"https://harbourtimes.test/world/story-{n}",
            "guid": f"ht-{n}",
            "date": f"Tue, 24 Nov 2026 {10 + n:02d}:00:00 +0000",
            "summary": f"Summary of story {n}.",
            "content": "",
            **item,
        }
        rendered.append(RSS_ITEM.format(**values))
    return RSS.format(items="\n".join(rendered))


def atom(*entries: dict[str, str]) -> str:
    rendered = []
    for n, entry in enumerate(entries):
        values = {
            "title": f"Courier story {n}",
            "link": f"https://steppecourier.test/news/{n}",
            "guid": f"tag:steppecourier.test,2026:{n}",
            "date": f"2026-11-24T{10 + n:02d}:00:00Z",
            "summary": "",
            "content": "",
            **entry,
        }
        rendered.append(ATOM_ENTRY.format(**values))
    return ATOM.format(entries="\n".join(rendered))
