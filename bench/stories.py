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

from parley.stories.clustering import THRESHOLD, Item, cluster
from parley.stories.text import terms
from tests.stories.labelled import ARTICLES, precision_recall

WINDOW = timedelta(hours=72)


def items() -> list[Item]:
    return [Item(i, a.at, terms(a.headline, a.description, a.text)) for i, a in enumerate(ARTICLES)]


def run(threshold: float) -> tuple[float, float, float]:
    started = time.perf_counter()
    groups = cluster(items(), window=WINDOW, threshold=threshold)
    elapsed = time.perf_counter() - started
    precision, recall = precision_recall(groups, ARTICLES)
    return precision, recall, elapsed / len(ARTICLES)


def main() -> None:
    stories = len({a.story for a in ARTICLES})
    print(f"{len(ARTICLES)} articles, {stories} stories, window {WINDOW}")
    for threshold in (0.1, 0.12, 0.15, THRESHOLD, 0.25, 0.3, 0.4):
        p, r, per_page = run(threshold)
        mark = "  <- used" if threshold == THRESHOLD else ""
        print(f"threshold {threshold:.2f}: precision {p:.3f} recall {r:.3f}{mark}")
    p, r, per_page = run(THRESHOLD)
    repeats = 20
    started = time.perf_counter()
    for _ in range(repeats):
        cluster(items(), window=WINDOW)
    per_page = (time.perf_counter() - started) / repeats / len(ARTICLES)
    print(f"time per page (terms + comparison with the window): {per_page * 1000:.2f} ms")


if __name__ == "__main__":
    main()
