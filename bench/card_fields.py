"""Card fields and extraction time on the pages the card tests write, for this extractor
and an older one (by default the extractor before the card rules, from git).

    .venv/bin/python bench/card_fields.py [--baseline REV] [--rounds N]

Prints, per pattern (byline, section, caption, date, headline), how many expected fields
each extractor gets right on tests/links_pure/card_pages.py (the first set, the second
set written after the rules), then the median and p95 time of one `extract_page` call on
every page, on a typical article and on a 1 MB page. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parley.links.extract import extract_page  # noqa: E402
from tests.links.conftest import article_html  # noqa: E402
from tests.links_pure.card_pages import (  # noqa: E402
    CARD_PAGES,
    SECOND_SET,
    CardPage,
    large_page,
    typical_article,
)

# The last commit of main before the card rules (parley/links/extract.py stood alone).
BEFORE_CARD_RULES = "3c3bd4f"

Extractor = Callable[..., Any]


def load_baseline(rev: str) -> Extractor | None:
    try:
        source = subprocess.run(
            ["git", "show", f"{rev}:parley/links/extract.py"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    if "from ." in source:
        return None  # that revision already has the card modules: not a standalone file
    path = Path(tempfile.mkdtemp()) / "baseline_extract.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("baseline_extract", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules["baseline_extract"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module.extract_page  # type: ignore[no-any-return]


def score(extract: Extractor, pages: list[CardPage]) -> dict[str, tuple[int, int]]:
    right: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for card in pages:
        meta = extract(card.html, url=card.url)
        for name, expected in card.expected.items():
            total[card.pattern] += 1
            right[card.pattern] += getattr(meta, name) == expected
    return {p: (right[p], total[p]) for p in total}


def timings(extract: Extractor, html: str, url: str, rounds: int) -> list[float]:
    extract(html, url=url)  # warm up
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        extract(html, url=url)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default=BEFORE_CARD_RULES)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    baseline = load_baseline(args.baseline)
    extractors: dict[str, Extractor] = {"now": extract_page}
    if baseline is not None:
        extractors[f"before ({args.baseline})"] = baseline
    else:
        print(f"(no standalone extractor at {args.baseline}: comparing nothing)")

    for title, pages in (("first set", CARD_PAGES), ("second set", SECOND_SET)):
        print(f"\nCard fields right, {title} ({len(pages)} pages)")
        results = {name: score(fn, pages) for name, fn in extractors.items()}
        patterns = sorted({p for r in results.values() for p in r})
        print(f"{'pattern':10} " + " ".join(f"{name:>20}" for name in results))
        for pattern in [*patterns, "all"]:
            cells = []
            for result in results.values():
                if pattern == "all":
                    right = sum(r for r, _ in result.values())
                    total = sum(t for _, t in result.values())
                else:
                    right, total = result[pattern]
                cells.append(f"{right:>3}/{total:<3} ({right / total:4.0%})")
            print(f"{pattern:10} " + " ".join(f"{c:>20}" for c in cells))

    url = CARD_PAGES[0].url
    samples_pages = {
        "every card page, one call each": None,
        "typical article (all patterns)": typical_article(),
        "links test article": article_html(),
        "large page (1 MB of teasers)": large_page(),
    }
    print(f"\nExtraction time, ms per call ({args.rounds} rounds; large page: a quarter)")
    print(f"{'page':34} {'bytes':>9} " + " ".join(f"{n + ' med/p95':>28}" for n in extractors))
    for label, html in samples_pages.items():
        cells = []
        for fn in extractors.values():
            if html is None:
                samples = [
                    s
                    for card in CARD_PAGES + SECOND_SET
                    for s in timings(fn, card.html, card.url, max(args.rounds // 8, 3))
                ]
            else:
                rounds = args.rounds // 4 if len(html) > 500_000 else args.rounds
                samples = timings(fn, html, url, max(rounds, 3))
            cells.append(f"{statistics.median(samples):8.2f} / {p95(samples):8.2f}")
        size = "" if html is None else f"{len(html.encode()):,}"
        print(f"{label:34} {size:>9} " + " ".join(f"{c:>28}" for c in cells))


if __name__ == "__main__":
    main()
