"""Story clustering on the labelled set (tests/stories/labelled.py): pairwise precision and
recall at the threshold Parley uses and around it, and the time it takes per page.

    .venv/bin/python bench/stories.py
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parley.stories.clustering import THRESHOLD, Item, best_match, cluster
from parley.stories.text import terms
from tests.stories.labelled import ARTICLES, Article, precision_recall

WINDOW = timedelta(hours=72)


NEAR_MISSES = [
    ("quake", "kessarin-fire"),
    ("quake", "quake-fund"),
    ("rates", "budget"),
    ("jets", "conscription"),
    ("zarivka-power", "zarivka-market"),
    ("zarivka-power", "zarivka-restored"),
    ("launch", "launch-fault"),
]


def items(articles: list[Article] = ARTICLES) -> list[Item]:
    return [Item(i, a.at, terms(a.headline, a.description, a.text)) for i, a in enumerate(articles)]


def run(threshold: float, articles: list[Article] = ARTICLES) -> tuple[float, float]:
    groups = cluster(items(articles), window=WINDOW, threshold=threshold)
    return precision_recall(groups, articles)


def quiet_windows(threshold: float) -> tuple[float, float]:
    """A quiet forum: each story alone (worst recall), each near-miss pair alone (worst
    precision), with no other pages in the window to learn word weights from."""
    stories = {a.story for a in ARTICLES}
    recall = min(run(threshold, [a for a in ARTICLES if a.story == s])[1] for s in stories)
    precision = min(
        run(threshold, [a for a in ARTICLES if a.story in pair])[0] for pair in NEAR_MISSES
    )
    return precision, recall


def main() -> None:
    stories = len({a.story for a in ARTICLES})
    print(f"{len(ARTICLES)} articles, {stories} stories, window {WINDOW}")
    for threshold in (0.1, 0.12, 0.15, THRESHOLD, 0.25, 0.3, 0.4):
        p, r = run(threshold)
        qp, qr = quiet_windows(threshold)
        mark = "  <- used" if threshold == THRESHOLD else ""
        print(
            f"threshold {threshold:.2f}: precision {p:.3f} recall {r:.3f}"
            f" | quiet windows: worst precision {qp:.3f} worst recall {qr:.3f}{mark}"
        )
    repeats = 20
    started = time.perf_counter()
    for _ in range(repeats):
        cluster(items(), window=WINDOW)
    per_page = (time.perf_counter() - started) / repeats / len(ARTICLES)
    print(f"time per page (terms + comparison with the window): {per_page * 1000:.2f} ms")
    # A busy forum: one new page against N pages in its window (what place_page does after
    # its one query), with the stored terms of the labelled articles repeated.
    docs = [i.terms for i in items()]
    new = items()[0]
    for n in (200, 1000, 3000):
        window = [Item(k + 1000, new.at, docs[k % len(docs)]) for k in range(n)]
        started = time.perf_counter()
        best_match(new, window, window=WINDOW)
        took = time.perf_counter() - started
        print(f"one page against {n} pages in its window: {took * 1000:.1f} ms")


if __name__ == "__main__":
    main()
