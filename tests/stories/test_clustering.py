"""Story clustering on its own: the labelled set's precision and recall, folding of case and
diacritics, the time window, and the near-misses that must stay apart."""

from __future__ import annotations

from datetime import timedelta

from parley.stories.clustering import Item, best_match, cluster
from parley.stories.text import fold, terms, words
from tests.stories.labelled import ARTICLES, precision_recall

WINDOW = timedelta(hours=72)


def items() -> list[Item]:
    return [Item(i, a.at, terms(a.headline, a.description, a.text)) for i, a in enumerate(ARTICLES)]


def group_of(groups: dict[int, int], story: str) -> set[int]:
    return {groups[i] for i, a in enumerate(ARTICLES) if a.story == story}


def test_labelled_set_is_big_enough_and_has_multi_outlet_stories() -> None:
    assert len(ARTICLES) >= 60
    outlets_per_story: dict[str, set[str]] = {}
    for a in ARTICLES:
        outlets_per_story.setdefault(a.story, set()).add(a.outlet)
    assert sum(1 for o in outlets_per_story.values() if 2 <= len(o) <= 5) >= 10
    assert max(len(o) for o in outlets_per_story.values()) == 5


def test_precision_and_recall_on_the_labelled_set_are_both_above_0_9() -> None:
    precision, recall = precision_recall(cluster(items(), window=WINDOW), ARTICLES)
    assert precision > 0.9
    assert recall > 0.9


def test_each_story_alone_in_a_quiet_window_still_groups_all_its_outlets() -> None:
    for story in {a.story for a in ARTICLES}:
        alone = [a for a in ARTICLES if a.story == story]
        group = cluster(
            [Item(i, a.at, terms(a.headline, a.description, a.text)) for i, a in enumerate(alone)],
            window=WINDOW,
        )
        assert len(set(group.values())) == 1, story


def test_two_events_in_the_same_city_on_the_same_day_stay_apart() -> None:
    groups = cluster(items(), window=WINDOW)
    assert len(group_of(groups, "zarivka-power")) == 1
    assert group_of(groups, "zarivka-power").isdisjoint(group_of(groups, "zarivka-market"))
    assert group_of(groups, "quake").isdisjoint(group_of(groups, "kessarin-fire"))


def test_follow_up_stories_days_later_are_stories_of_their_own() -> None:
    groups = cluster(items(), window=WINDOW)
    assert group_of(groups, "quake").isdisjoint(group_of(groups, "quake-fund"))
    assert group_of(groups, "launch").isdisjoint(group_of(groups, "launch-fault"))
    assert group_of(groups, "zarivka-power").isdisjoint(group_of(groups, "zarivka-restored"))


def test_case_and_diacritics_are_folded_before_comparing() -> None:
    assert fold("Łukasz WÓJCIK in Zürich") == "lukasz wojcik in zurich"
    assert fold("Łódź, Straße, Ærø") == "lodz, strasse, aero"
    assert words("ZÜRICH: Sihl") == words("zurich sihl")
    groups = cluster(items(), window=WINDOW)
    assert len(group_of(groups, "detained")) == 1
    assert len(group_of(groups, "floods")) == 1


def test_the_same_text_outside_the_window_is_not_matched() -> None:
    article = ARTICLES[0]
    doc = terms(article.headline, article.description, article.text)
    old = Item(1, article.at - timedelta(hours=73), doc)
    match, _ = best_match(Item(2, article.at, doc), [old], window=WINDOW)
    assert match is None
    match, score = best_match(Item(2, article.at, doc), [Item(3, article.at, doc)], window=WINDOW)
    assert match is not None and score > 0.99


def test_a_page_split_off_by_staff_draws_no_other_page() -> None:
    article = ARTICLES[0]
    doc = terms(article.headline, article.description, article.text)
    apart = Item(1, article.at, doc, story_id=7, attracts=False)
    match, _ = best_match(Item(2, article.at, doc), [apart], window=WINDOW)
    assert match is None
