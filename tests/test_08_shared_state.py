"""Lesson 08, shared state: the race shown, its fixes, pinning, per-task context, and checks that
tell right answers from plausible wrong ones."""
import re

import pytest

from course import nbrun
from course.style import CELL_LINES, LINE_COLUMNS
from course.wronganswers import assert_judged, judged, run

pytestmark = pytest.mark.kernel

LESSON = "08-shared-state"
RUN = re.compile(r"run (\d+): expected 24,000,000 points, got ([\d,]+)")


def lines(cell) -> list[str]:
    return nbrun.text_of(cell).strip().splitlines()


def number(text: str) -> int:
    return int(text.replace(",", ""))


def test_the_lesson_has_its_title_prerequisites_and_time():
    prose = nbrun.prose(LESSON)
    assert "# 08 · Shared state" in prose
    assert "**Prerequisites:**" in prose and "**Time:**" in prose


def test_the_race_prints_every_run_and_stops_at_the_first_loss(executed):
    (cell,) = nbrun.tagged(executed(LESSON), "race")
    out = lines(cell)
    assert re.fullmatch(r"cores: \d+", out[0]), out
    runs = [RUN.fullmatch(line) for line in out[1:]]
    assert runs and all(runs), out
    assert [int(r.group(1)) for r in runs] == list(range(1, len(runs) + 1)), out
    got = [number(r.group(2)) for r in runs]
    assert all(0 < g <= 24_000_000 for g in got), out
    # every run but the last came out right; the last is short, or it is run 10
    assert all(g == 24_000_000 for g in got[:-1]), out
    assert got[-1] < 24_000_000 or len(got) == 10, out


def test_the_slow_till_loses_a_point_when_the_scans_overlap(executed):
    (cell,) = nbrun.tagged(executed(LESSON), "till")
    text = nbrun.text_of(cell)
    found = re.search(r"expected 2 points, got (\d)", text)
    assert found, text
    ana, ben = nbrun.bar(text, "Ana"), nbrun.bar(text, "Ben")
    overlapped = ana[0] < ben[1] - 0.05 and ben[0] < ana[1] - 0.05
    assert int(found.group(1)) == (1 if overlapped else 2), text
    assert any("Ana and Ben scan at once" in p for p in
               nbrun.rich_outputs(executed(LESSON), "image/svg+xml")
               + nbrun.rich_outputs(executed(LESSON), "text/html"))


def test_every_fix_counts_every_point(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "confined: expected 1,000,000, got 1,000,000" in text
    assert "AtomicInteger: 1,000,000, LongAdder: 1,000,000" in text
    assert "{cafe=100, clothes=100, games=100}" in text
    assert "50 tries at 30 each: 3 bought, 10 left, 90 points" in text
    assert "synchronized: expected 1,000,000, got 1,000,000" in text


def test_jfr_shows_what_this_jdk_pins(executed):
    nb = executed(LESSON)
    (sync,) = nbrun.tagged(nb, "pinned-synchronized")
    (init,) = nbrun.tagged(nb, "pinned-initialiser")
    text = nbrun.text_of(sync)
    found = re.search(r"JDK (\d+)\S*, sleeping inside synchronized: (\d+) pinned events", text)
    assert found, text
    if int(found.group(1)) >= 24:    # JEP 491: synchronized no longer pins
        assert found.group(2) == "0", text
    else:
        assert int(found.group(2)) >= 1, text
    assert re.search(r"waiting in a static initialiser: \[\d+ ms, .*Catalogue\.<clinit>", nbrun.text_of(init))


def test_sleeping_inside_synchronized_does_not_pin_on_this_jdk(executed):
    text = nbrun.all_text(executed(LESSON))
    feature = int(re.search(r"Java (\d+)\S*, \d+ sleepers", text).group(1))
    took = nbrun.seconds(text, "sleeping inside synchronized")
    if feature >= 24:
        assert 0.45 <= took < 1.2, took      # four sleepers per carrier, all at once


def test_the_lesson_says_which_jdk_stopped_pinning_in_synchronized():
    prose = nbrun.prose(LESSON)
    assert "[JEP 491](https://openjdk.org/jeps/491)" in prose
    assert "`Object.wait()`" in prose and "foreign function" in prose and "file operations" in prose


def test_thread_local_leaks_and_scoped_value_does_not(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "Ben's task: receipt for Ana" in text
    (cell,) = nbrun.tagged(executed(LESSON), "scoped")
    out = lines(cell)
    assert re.fullmatch(r"JDK \d+\S*", out[0]), out
    assert out[1:] == ["receipt for Ana; receipt for Ben", "bound after the calls: false"], out


def test_the_lesson_says_exactly_what_happens_before_holds():
    prose = nbrun.prose(LESSON)
    assert "**happens-before**" in prose and "`Future.get()`" in prose
    assert "`close()` and `awaitTermination` document no such edge" in prose
    assert "`Subtask.get()`" in prose
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.LESSONS / f"{LESSON}.ipynb")))
    assert "resultNow" not in code, "resultNow() on a future that may have failed loses the failure"


def test_no_source_cell_breaks_the_style_rules():
    for cell in nbrun.code_cells(nbrun.read(nbrun.LESSONS / f"{LESSON}.ipynb")):
        body = [line for line in cell.source.splitlines() if "SOLUTION" not in line]
        assert len(body) <= CELL_LINES, cell.source
        assert all(len(line) <= LINE_COLUMNS for line in body), cell.source


# ---------------------------------------------------------------------------------------------
# Plausible answers fed to the checks: each wrong one must get a ✘ on the line that names its
# mistake, each right one ✔ on every line.

LOOP = """    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {{
        for (int s = 0; s < shoppers; s++) {{
            pool.submit(() -> {{
                for (int i = 0; i < items; i++) {body}
            }});
        }}
    }}"""


def points(body: str, card="var card = new LoyaltyCard();", before="", result="card.points") -> str:
    return (f"{before}int collectPoints(Till till, int shoppers, int items) {{\n    {card}\n"
            + LOOP.format(body=body) + f"\n    return {result};\n}}")


EX1 = [
    judged("ex1", "plain += scan, as given", points("card.points += till.scan();"), "✔✘"),
    judged("ex1", "volatile field", points("card.points += till.scan();", card="var card = new VolatileCard();",
                              before="class VolatileCard { volatile int points; }\n"), "✔✘"),
    judged("ex1", "synchronized on a new object", points("synchronized (new Object()) { card.points += till.scan(); }"), "✔✘"),
    judged("ex1", "lock held during the scan", points("synchronized (card) { card.points += till.scan(); }"), "✘✘"),
    judged("ex1", "no threads at all", """int collectPoints(Till till, int shoppers, int items) {
    int points = 0;
    for (int i = 0; i < shoppers * items; i++) points += till.scan();
    return points;
}""", "✘✘"),
    judged("ex1", "right: each shopper returns its count", """int collectPoints(Till till, int shoppers, int items) {
    Callable<Integer> shopper = () -> {
        int mine = 0;
        for (int i = 0; i < items; i++) mine += till.scan();
        return mine;
    };
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        return pool.invokeAll(Collections.nCopies(shoppers, shopper)).stream()
                .mapToInt(Future::resultNow).sum();
    } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
    }
}""", "✔✔"),
]

PRESENTS = """int buyPresents(AtomicInteger budget, Till till, int shoppers) {{
    var bought = new AtomicInteger();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {{
        for (int s = 0; s < shoppers; s++) {{
            pool.submit(() -> {{
{body}
            }});
        }}
    }}
    return bought.get();
}}"""

EX2 = [
    judged("ex2", "the buggy code as given", PRESENTS.format(body="""
                if (budget.get() >= 10) {
                    till.scan();
                    budget.set(budget.get() - 10);
                    bought.incrementAndGet();
                }"""), "✔✘"),
    judged("ex2", "addAndGet after the scan", PRESENTS.format(body="""
                if (budget.get() >= 10) {
                    till.scan();
                    budget.addAndGet(-10);
                    bought.incrementAndGet();
                }"""), "✔✘"),
    judged("ex2", "everything under one lock", PRESENTS.format(body="""
                synchronized (budget) {
                    if (budget.get() >= 10) {
                        till.scan();
                        budget.addAndGet(-10);
                        bought.incrementAndGet();
                    }
                }"""), "✘✔"),
    judged("ex2", "compareAndSet after the scan", PRESENTS.format(body="""
                if (budget.get() >= 10) {
                    till.scan();
                    int before = budget.get();
                    budget.compareAndSet(before, before - 10);
                    bought.incrementAndGet();
                }"""), "✔✘"),
    judged("ex2", "right: a compareAndSet loop, then the scan", PRESENTS.format(body="""
                int before;
                do {
                    before = budget.get();
                    if (before < 10) return;
                } while (!budget.compareAndSet(before, before - 10));
                till.scan();
                bought.incrementAndGet();"""), "✔✔"),
    judged("ex2", "right: take first, give back", PRESENTS.format(body="""
                if (budget.addAndGet(-10) < 0) { budget.addAndGet(10); return; }
                till.scan();
                bought.incrementAndGet();"""), "✔✔"),
]

SHOPS = """Map<String, Integer> pointsPerShop(Till till, List<String> shops, int people) {{
    var perShop = new ConcurrentHashMap<String, Integer>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {{
        for (int s = 0; s < people; s++) {{
            pool.submit(() -> {{
                for (String shop : shops) {body}
            }});
        }}
    }}
    return perShop;
}}"""

EX3 = [
    judged("ex3", "get, then put", SHOPS.format(
        body="perShop.put(shop, perShop.getOrDefault(shop, 0) + till.scan());"), "✔✘"),
    judged("ex3", "scan inside compute", SHOPS.format(
        body="perShop.compute(shop, (k, v) -> (v == null ? 0 : v) + till.scan());"), "✘✔"),
    judged("ex3", "one lock around scan and merge", SHOPS.format(
        body="synchronized (perShop) { perShop.merge(shop, till.scan(), Integer::sum); }"), "✘✔"),
    judged("ex3", "right: a LongAdder per shop", """Map<String, Integer> pointsPerShop(Till till, List<String> shops, int people) {
    var perShop = new ConcurrentHashMap<String, LongAdder>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int s = 0; s < people; s++) {
            pool.execute(() -> {
                for (String shop : shops) {
                    int p = till.scan();
                    perShop.computeIfAbsent(shop, k -> new LongAdder()).add(p);
                }
            });
        }
    }
    var out = new HashMap<String, Integer>();
    perShop.forEach((k, v) -> out.put(k, v.intValue()));
    return out;
}""", "✔✔"),
]

ANSWERS = EX1 + EX2 + EX3


@pytest.fixture(scope="module")
def verdicts():
    """One kernel: the setup, the card and the till, then each answer followed by its check."""
    return run(LESSON, ANSWERS, keep=("class LoyaltyCard", "class Till"), timeout=60)


def test_checks_judge_plausible_answers(verdicts):
    assert_judged(verdicts, ANSWERS)
    for answer in ANSWERS:
        crossed = [line for line in verdicts[answer.key].splitlines() if line.startswith("✘")]
        assert all("Hint:" in line for line in crossed), crossed
