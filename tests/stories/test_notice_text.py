"""The compose notice names each thread once, with every outlet of the story it links."""

from __future__ import annotations

from parley.stories.notices import notice_html
from parley.stories.queries import Coverage, StoryView, ThreadRef


def test_a_thread_linking_two_outlets_of_the_story_is_named_once() -> None:
    both = ThreadRef(pk=7, title="Interconnector outage")
    other = ThreadRef(pk=9, title="Cable cut")
    view = StoryView(
        story_id=1,
        page_ids={1},
        keys=set(),
        others=[
            Coverage(2, "Northern Courier", "h", "https://a.test/", [both]),
            Coverage(3, "Harbour & Coast", "h", "https://b.test/", [both, other]),
        ],
    )
    html = notice_html(view)
    assert html.count('href="/threads/7/"') == 1 and html.count('href="/threads/9/"') == 1
    assert "(linking Northern Courier, Harbour &amp; Coast)" in html
