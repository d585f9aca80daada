"""The bench's target of flat output per page reads what it is meant to guard against.

A site whose output grows as N (entries plus pages that do not grow with N) passes even though
its average per page drifts; a site whose every page grows with N (a nav listing every entry)
misses. The figures are made up; the function is the one `scripts/bench` prints its table with.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
from types import ModuleType

from sitebuild import PROJECT

FIXED_PAGES = 220  # sections, taxonomy terms, newsletter issues, policies
FIXED_PAGE_BYTES = 40_000
ENTRY_BYTES = 60_000  # an entry's page with its share of listings, search index and feeds


def load_bench() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("hub_bench", str(PROJECT / "scripts" / "bench"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("hub_bench", loader))
    sys.modules["hub_bench"] = module  # dataclasses look their module up
    loader.exec_module(module)
    return module


def result(n: int, output_bytes: int) -> dict[str, object]:
    pages = FIXED_PAGES + 2 * n
    return {"n": n, "hub": {"pages": pages, "output_bytes": output_bytes,
                            "bytes_per_page": round(output_bytes / pages)}}


def rows(outputs: dict[int, int]) -> list[str]:
    return load_bench().flat_bytes_rows([result(n, output) for n, output in outputs.items()])


def linear(n: int) -> int:
    return FIXED_PAGES * FIXED_PAGE_BYTES + 2 * n * ENTRY_BYTES


def test_output_growing_as_n_passes_though_the_average_drifts() -> None:
    target, average = rows({n: linear(n) for n in (100, 1000, 3000, 5000)})
    assert target.endswith("| pass |") and "+0.0% (60,000 → 60,000 → 60,000)" in target
    assert "+20.3% (49,524 → 58,018 → 59,293 → 59,569)" in average


def test_output_growing_as_n_squared_misses() -> None:
    every_page_lists_every_entry = {n: linear(n) + (FIXED_PAGES + 2 * n) * n * 60 for n in (100, 1000, 3000, 5000)}
    target, _ = rows(every_page_lists_every_entry)
    assert target.endswith("| miss |")


def test_two_sizes_do_not_make_a_verdict() -> None:
    target, average = rows({1000: linear(1000), 3000: linear(3000)})
    assert "not measured (needs three sizes)" in target and target.endswith("| — |")
    assert "+2.2% (58,018 → 59,293)" in average


def test_a_size_measured_twice_adds_no_step() -> None:
    bench = load_bench()
    twice = [result(1000, linear(1000)), result(1000, linear(1000)), result(3000, linear(3000))]
    assert bench.bytes_per_added_page(twice) == [(1000, 3000, ENTRY_BYTES)]
