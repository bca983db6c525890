"""Lesson 07, scale: what a learner must see when it runs top to bottom (with the default sizes)."""
import math
import re

import nbrun

LESSON = "07-scale"
SWEEP_LINE = re.compile(r"^(.+?)\s+([\d,]+) tasks:\s+(\d+\.\d\d) s \(\+?-?\d+\.\d\d s over the floor\)$", re.M)


def sweeps(text: str) -> dict[str, dict[int, float]]:
    found: dict[str, dict[int, float]] = {}
    for way, n, seconds in SWEEP_LINE.findall(text):
        found.setdefault(way.strip(), {})[int(n.replace(",", ""))] = float(seconds)
    return found


def cores(text: str) -> int:
    found = re.search(r"^(\d+) cores; crowds of 1 to 10,000 shoppers$", text, re.M)
    assert found, "the first cell should print the cores and the default crowd size"
    return int(found.group(1))


def test_the_floor_is_one_fetch(executed):
    floor = nbrun.times(executed(LESSON))[0]
    assert 0.95 <= floor < 1.5, floor


def test_a_pool_of_one_thread_per_core_works_in_waves(executed):
    text = nbrun.all_text(executed(LESSON))
    found = re.search(r"6 fetches, a fixed pool of (\d+) platform threads — total (\d+\.\d\d) s", text)
    assert found, "no timeline of the six fetches on the small pool"
    threads, total = int(found.group(1)), float(found.group(2))
    assert threads == cores(text)
    waves = math.ceil(6 / threads)
    assert waves - 0.05 <= total < waves + 1.0, (threads, total)


def test_each_way_is_swept_and_pools_are_capped(executed):
    found = sweeps(nbrun.all_text(executed(LESSON)))
    pool = found["fixed pool, 500 platform threads"]
    virtual = found["virtual threads, one per task"]
    timer = found["CompletableFuture + delayedExecutor"]
    assert sorted(pool) == [10, 100, 1_000], "the large pool is capped at 1,000 tasks"
    assert sorted(virtual) == sorted(timer) == [10, 100, 1_000, 10_000]
    assert all(0.95 <= s < 1.8 for s in (*virtual.values(), *timer.values())), (virtual, timer)
    assert 1.95 <= pool[1_000] < 3.5, pool
    assert all(0.95 <= pool[n] < 1.8 for n in (10, 100)), pool


def test_timelines_and_chart_are_drawn(executed):
    nb = executed(LESSON)
    svgs = [s for s in nbrun.rich_outputs(nb, "image/svg+xml") if "<svg" in s]
    assert any("300 fetches, a pool of 100 platform threads" in s and "one virtual thread each" in s for s in svgs)
    assert any("more tasks" in s for s in svgs), "the 300-task timelines should be summarised"
    chart = [s for s in svgs if "log scale" in s]
    assert chart, "no chart with a logarithmic x axis"
    for name in ("pool of 500", "virtual threads", "delayedExecutor", "floor, 1 s"):
        assert name in chart[0], name


def test_the_lesson_quotes_the_benchmarks():
    prose = nbrun.prose(LESSON)
    assert "# 07 · Scale" in prose
    for words in ("floor", "100,000", "1,000,000", "bench/results.md"):
        assert words in prose, words
    assert "BENCH_" not in prose, "a benchmark figure was left as a placeholder"
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    sizes = [c.source for c in nbrun.code_cells(nb) if "int biggest" in c.source]
    assert len(sizes) == 1 and "int biggest = 10_000;" in sizes[0], "one cell sets the default sizes"


def test_every_check_fails_kindly_on_the_stubs(executed):
    nb = executed(LESSON)
    assert nbrun.errors(nb) == []
    checks = nbrun.tagged(nb, "check")
    assert len(checks) >= 2
    for cell in checks:
        out = nbrun.text_of(cell)
        assert "✘" in out and "✔" not in out, out
    text = nbrun.all_text(nb)
    assert "\tat " not in text and "Exception in thread" not in text, "a stack trace reached the learner"
