"""Lesson 01, the shopping-mall analogy: what a learner must see when it runs top to bottom."""
import re

import pytest

from course import nbrun
from course.wronganswers import judging, right, wrong

LESSON = "01-the-mall"


@pytest.mark.kernel
def test_the_trip_split_up_is_a_second_shorter(executed):
    text = nbrun.all_text(executed(LESSON))
    sequential = nbrun.seconds(text, "one after the other")
    split_up = nbrun.seconds(text, "split up")
    assert 2.95 <= sequential < 3.8, sequential
    assert 1.95 <= split_up < 2.8, split_up
    assert sequential - split_up > 0.7


@pytest.mark.kernel
def test_both_timelines_are_drawn_on_one_chart(executed):
    nb = executed(LESSON)
    drawn = nbrun.drawings(nb)
    assert drawn, "no timeline was drawn"
    assert any("One after the other" in p and "Split up at the mall" in p for p in drawn)
    assert any("fitting room" in p and "game console" in p for p in drawn)


@pytest.mark.kernel
def test_one_worker_handles_both_waits(executed):
    text = nbrun.all_text(executed(LESSON))
    assert text.count("seen by the-only-worker") == 2
    assert 0.95 <= nbrun.seconds(text, "one worker, two errands") < 1.8


@pytest.mark.kernel
def test_many_waits_overlap_on_few_cores(executed):
    text = nbrun.all_text(executed(LESSON))
    assert re.search(r"cores: \d+", text)
    assert "common pool" not in text, "lesson 02 introduces the common pool"
    assert 0.95 <= nbrun.seconds(text, "1,000 errands") < 2.0


def test_the_lesson_tells_the_story_and_both_ideas():
    prose = nbrun.prose(LESSON)
    assert "# 01 · The shopping-mall analogy" in prose
    for words in ("concurrency", "parallelism"):
        assert words in prose


def test_no_future_is_left_unread():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    for cell in nbrun.code_cells(nb):
        for line in cell.source.splitlines():
            if ".submit(" in line and "check" not in cell.metadata.get("tags", []):
                assert "=" in line or ".add(" in line or line.rstrip().endswith("submit("), line



def shops_then(rest: str) -> str:
    """Exercise 4's answer up to the two errands, both read, then `rest` (which closes the mall)."""
    return """
Timeline trip() throws Exception {
    Timeline day = timeline("The whole Saturday");
    day.track("drive to the mall", () -> Thread.sleep(DRIVE));
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = mall.submit(() -> day.track("game console", () -> Thread.sleep(SHOP)));
        var b = mall.submit(() -> day.track("fitting room", () -> Thread.sleep(SHOP)));
        a.get(5, TimeUnit.SECONDS); b.get(5, TimeUnit.SECONDS);""" + rest + """
    return day;
}"""


WRONG = [
    wrong("ex1", "one after the other", """
void shopBoth(Callable<String> buyConsole, Callable<String> tryOnClothes) throws Exception {
    buyConsole.call();
    tryOnClothes.call();
}"""),
    wrong("ex1", "get before the second submit", """
void shopBoth(Callable<String> buyConsole, Callable<String> tryOnClothes) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        mall.submit(buyConsole).get(5, TimeUnit.SECONDS);
        mall.submit(tryOnClothes).get(5, TimeUnit.SECONDS);
    }
}"""),
    wrong("ex1", "the common pool for blocking work", """
void shopBoth(Callable<String> buyConsole, Callable<String> tryOnClothes) throws Exception {
    var a = ForkJoinPool.commonPool().submit(buyConsole);
    var b = ForkJoinPool.commonPool().submit(tryOnClothes);
    a.get(5, TimeUnit.SECONDS);
    b.get(5, TimeUnit.SECONDS);
}"""),
    wrong("ex1", "errands left running", """
void shopBoth(Callable<String> buyConsole, Callable<String> tryOnClothes) throws Exception {
    var mall = Executors.newVirtualThreadPerTaskExecutor();
    mall.submit(buyConsole);
    mall.submit(tryOnClothes);
}"""),
    wrong("ex2", "one after the other", """
Timeline saturday() throws Exception {
    Timeline day = timeline("Saturday");
    day.track("game console", () -> Thread.sleep(Duration.ofSeconds(1)));
    day.track("fitting room", () -> Thread.sleep(Duration.ofMillis(1500)));
    return day;
}"""),
    wrong("ex2", "returned before the errands ended", """
Timeline saturday() throws Exception {
    Timeline day = timeline("Saturday");
    var mall = Executors.newVirtualThreadPerTaskExecutor();
    mall.submit(() -> day.track("game console", () -> Thread.sleep(Duration.ofSeconds(1))));
    mall.submit(() -> day.track("fitting room", () -> Thread.sleep(Duration.ofMillis(1500))));
    Thread.sleep(300);
    return day;
}"""),
    wrong("ex2", "null", """
Timeline saturday() { return null; }"""),
    wrong("ex2", "a misspelt label", """
Timeline saturday() throws Exception {
    Timeline day = timeline("Saturday");
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = mall.submit(() -> day.track("game consol", () -> Thread.sleep(Duration.ofSeconds(1))));
        var b = mall.submit(() -> day.track("fitting room", () -> Thread.sleep(Duration.ofMillis(1500))));
        a.get(5, TimeUnit.SECONDS); b.get(5, TimeUnit.SECONDS);
    }
    return day;
}"""),
    wrong("ex2", "tracked twice", """
Timeline saturday() throws Exception {
    Timeline day = timeline("Saturday");
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = mall.submit(() -> day.track("game console", () -> Thread.sleep(Duration.ofSeconds(1))));
        var b = mall.submit(() -> day.track("fitting room", () -> Thread.sleep(Duration.ofMillis(1500))));
        a.get(5, TimeUnit.SECONDS); b.get(5, TimeUnit.SECONDS);
    }
    day.track("game console", () -> {});
    return day;
}"""),
    wrong("ex3", "the bug left in", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var errand : errands) town.submit(errand).get(5, TimeUnit.SECONDS);
    }
}"""),
    wrong("ex3", "a pool of two threads", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newFixedThreadPool(2)) {
        for (var f : town.invokeAll(errands)) f.get(5, TimeUnit.SECONDS);
    }
}"""),
    wrong("ex3", "nobody waits", """
void runAll(List<Callable<String>> errands) throws Exception {
    var town = Executors.newVirtualThreadPerTaskExecutor();
    for (var errand : errands) town.submit(errand);
}"""),
    wrong("ex3", "no get at all, closed by try", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var errand : errands) town.submit(errand);
    }
}"""),
    wrong("ex3", "invokeAll, its list never read", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newVirtualThreadPerTaskExecutor()) {
        town.invokeAll(errands);
    }
}"""),
    wrong("ex3", "only the first future read", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<String>> receipts = new ArrayList<>();
        for (var errand : errands) receipts.add(town.submit(errand));
        receipts.get(0).get(5, TimeUnit.SECONDS);
    }
}"""),
    wrong("ex3", "a pool of three threads", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newFixedThreadPool(3)) {
        for (var f : town.invokeAll(errands)) f.get(5, TimeUnit.SECONDS);
    }
}"""),
    wrong("ex4", "cafe before the errands end", """
Timeline trip() throws Exception {
    Timeline day = timeline("The whole Saturday");
    day.track("drive to the mall", () -> Thread.sleep(DRIVE));
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        mall.submit(() -> day.track("game console", () -> Thread.sleep(SHOP)));
        mall.submit(() -> day.track("fitting room", () -> Thread.sleep(SHOP)));
        day.track("cafe", () -> Thread.sleep(CAFE));
    }
    day.track("drive home", () -> Thread.sleep(DRIVE));
    return day;
}"""),
    wrong("ex4", "everything in turn", """
Timeline trip() throws Exception {
    Timeline day = timeline("The whole Saturday");
    day.track("drive to the mall", () -> Thread.sleep(DRIVE));
    day.track("game console", () -> Thread.sleep(SHOP));
    day.track("fitting room", () -> Thread.sleep(SHOP));
    day.track("cafe", () -> Thread.sleep(CAFE));
    day.track("drive home", () -> Thread.sleep(DRIVE));
    return day;
}"""),
    wrong("ex4", "drive home while the cafe still goes", shops_then("""
        var cafe = mall.submit(() -> day.track("cafe", () -> Thread.sleep(CAFE)));
        day.track("drive home", () -> Thread.sleep(DRIVE));
        cafe.get(5, TimeUnit.SECONDS);
    }""")),
    wrong("ex4", "coffee, not cafe", shops_then("""
    }
    day.track("coffee", () -> Thread.sleep(CAFE));
    day.track("drive home", () -> Thread.sleep(DRIVE));""")),
]

# right answers written another way than the worked one: each gets only ✔
RIGHT = [
    right("ex1", "invokeAll, then get each", """
void shopBoth(Callable<String> buyConsole, Callable<String> tryOnClothes) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var f : mall.invokeAll(List.of(buyConsole, tryOnClothes))) f.get(5, TimeUnit.SECONDS);
    }
}"""),
    right("ex2", "runAsync on the executor, then allOf", """
Timeline saturday() throws Exception {
    Timeline day = timeline("Saturday");
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = CompletableFuture.runAsync(() -> day.track("game console", () -> Thread.sleep(1000)), mall);
        var b = CompletableFuture.runAsync(() -> day.track("fitting room", () -> Thread.sleep(1500)), mall);
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
    }
    return day;
}"""),
    right("ex3", "invokeAll, then get each", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var f : town.invokeAll(errands)) f.get(5, TimeUnit.SECONDS);
    }
}"""),
    right("ex3", "a cached platform pool, futures in a stream", """
void runAll(List<Callable<String>> errands) throws Exception {
    try (var town = Executors.newCachedThreadPool()) {
        var receipts = errands.stream().map(town::submit).toList();
        for (var receipt : receipts) receipt.get(5, TimeUnit.SECONDS);
    }
}"""),
    right("ex4", "begin and close by hand", """
Timeline trip() throws Exception {
    Timeline day = timeline("The whole Saturday");
    try (var drive = day.begin("drive to the mall")) { Thread.sleep(DRIVE); }
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var all = mall.invokeAll(List.<Callable<Void>>of(
            () -> { day.track("game console", () -> Thread.sleep(SHOP)); return null; },
            () -> { day.track("fitting room", () -> Thread.sleep(SHOP)); return null; }));
        for (var f : all) f.get(5, TimeUnit.SECONDS);
    }
    try (var cafe = day.begin("cafe")) { Thread.sleep(CAFE); }
    try (var home = day.begin("drive home")) { Thread.sleep(DRIVE); }
    return day;
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, keep=("Duration DRIVE",))


@pytest.mark.kernel
def test_timeline_crosses_say_what_the_timeline_shows(verdicts):
    seen = verdicts
    assert '"game consol" 0.' in seen["ex2: a misspelt label"], seen["ex2: a misspelt label"]
    assert "one after the other" in seen["ex2: one after the other"]
    assert "still running" in seen["ex2: returned before the errands ended"]
    assert '"coffee" ' in seen["ex4: coffee, not cafe"]
    assert 'expected "drive home" to start after "cafe" ended' in \
        seen["ex4: drive home while the cafe still goes"]
    for text in seen.values():
        assert "Timeline[" not in text, text
