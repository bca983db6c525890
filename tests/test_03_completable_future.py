"""Lesson 03, CompletableFuture: what a learner must see when it runs top to bottom, and checks that
tell right answers from plausible wrong ones."""
import re

import pytest

from course import nbrun
from course.wronganswers import assert_judged, right, run, wrong

LESSON = "03-completable-future"


@pytest.mark.kernel
def test_steps_say_which_thread_ran_them(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "fetch on virtual thread 'shopper-1'" in text
    assert "thenApply on virtual thread 'shopper-1'" in text
    assert "thenApplyAsync on virtual thread 'shopper-2'" in text
    assert "this cell runs on platform thread" in text


@pytest.mark.kernel
def test_futures_overlap_the_two_fetches(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "Lorem Ipsum" in text and "Mona Lisa" in text
    for label in ("combine, then compose", "non-blocking fetches", "own executor"):
        assert 0.95 <= nbrun.seconds(text, label) < 1.8, label
    assert "1 post, 1 album, then coffee" in text


@pytest.mark.kernel
def test_timers_do_not_queue_for_a_thread(executed):
    text = nbrun.all_text(executed(LESSON))
    assert 0.95 <= nbrun.seconds(text, "4 non-blocking waits, 2 threads") < 1.8


@pytest.mark.kernel
def test_the_common_pool_pitfall_matches_the_jdk_and_the_machine(executed):
    text = nbrun.all_text(executed(LESSON))
    feature = int(re.search(r"Java (\d+)", text).group(1))
    parallelism = int(re.search(r"common pool parallelism: (\d+)", text).group(1))
    common = re.search(r"supplyAsync without an executor uses the common pool: (\w+)", text)
    no_executor = nbrun.seconds(text, "no executor")
    if feature >= 25 or parallelism >= 2:
        assert common.group(1) == "true"
        assert "posts on platform thread 'ForkJoinPool.commonPool-worker-" in text
    if feature >= 25 and parallelism == 1:
        assert 1.95 <= no_executor < 2.8, "one worker runs the two blocking fetches in turn"
        assert text.count("commonPool-worker-1'") >= 2
    else:
        assert 0.95 <= no_executor < 1.8


def test_the_lesson_says_which_jdk_does_what():
    prose = nbrun.prose(LESSON)
    assert "JDK-8319447" in prose
    assert "Java 17 started a new thread" not in prose      # the old, version-blind sentence


@pytest.mark.kernel
def test_the_pitfall_is_drawn(executed):
    pictures = nbrun.rich_outputs(executed(LESSON), "image/svg+xml") + \
        nbrun.rich_outputs(executed(LESSON), "text/html")
    assert any("<svg" in p and "without an executor" in p and "virtual-thread executor" in p
               for p in pictures)


def test_the_asyncio_table_maps_every_tool():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    tables = [c.source for c in nb.cells if c.cell_type == "markdown" and "| asyncio | Java |" in c.source]
    assert len(tables) == 1
    rows = [line for line in tables[0].splitlines() if line.startswith("| ") and "asyncio | Java" not in line]
    for tool in ("async def", "await", "asyncio.run", "asyncio.sleep", "create_task", "gather",
                 "wait_for", "as_completed", "TaskGroup", "Semaphore", "cancel"):
        row = next((r for r in rows if tool in r.split("|")[1]), None)
        assert row, f"no row for {tool}"
        assert len([part for part in row.split("|")[1:-1] if part.strip()]) == 3, row


def test_the_lesson_has_its_title():
    assert "# 03 · CompletableFuture" in nbrun.prose(LESSON)


@pytest.mark.kernel
def test_join_ignores_an_interrupt_and_get_does_not(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "in get(timeout), still waiting: false" in text
    assert "in join(), still waiting: true" in text
    assert "get threw java.lang.InterruptedException" in text


# ---------------------------------------------------------------------------------------------
# Plausible answers fed to the checks in one run: each wrong one gets ✘, each right one only ✔.

SLEEP = "try { Thread.sleep(wait); } catch (InterruptedException e) { throw new RuntimeException(e); }"

ANSWERS = [
    wrong("ex1", "a sleeping virtual thread per coffee", """
CompletableFuture<String> coffeeAfter(Duration wait) {
    var cup = new CompletableFuture<String>();
    Thread.ofVirtual().start(() -> {
        try { Thread.sleep(wait); cup.complete("coffee"); }
        catch (InterruptedException e) { cup.completeExceptionally(e); }
    });
    return cup;
}""", line="no thread waited for a coffee"),
    wrong("ex1", "ready at once", """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return CompletableFuture.completedFuture("coffee");
}""", line="100 coffees in about one second"),
    wrong("ex1", "a sleep on the common pool", f"""
CompletableFuture<String> coffeeAfter(Duration wait) {{
    return CompletableFuture.supplyAsync(() -> {{
        {SLEEP}
        return "coffee";
    }});
}}""", line="100 coffees in about one second"),
    wrong("ex1", "a sleep on a virtual-thread executor", f"""
CompletableFuture<String> coffeeAfter(Duration wait) {{
    return CompletableFuture.supplyAsync(() -> {{
        {SLEEP}
        return "coffee";
    }}, Executors.newVirtualThreadPerTaskExecutor());
}}""", line="no thread waited for a coffee"),
    wrong("ex1", "a platform pool kept for every order", f"""
ExecutorService baristaPool = Executors.newCachedThreadPool();
CompletableFuture<String> coffeeAfter(Duration wait) {{
    return CompletableFuture.supplyAsync(() -> {{
        {SLEEP}
        return "coffee";
    }}, baristaPool);
}}""", line="no thread waited for a coffee"),
    right("ex1", "the library's delay", """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return realDelay().after(wait).thenApply(v -> "coffee");
}"""),
    right("ex1", "completeOnTimeout", """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return new CompletableFuture<String>()
        .completeOnTimeout("coffee", wait.toMillis(), TimeUnit.MILLISECONDS);
}"""),

    wrong("ex2", "join inside, a finished future", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    var first = CompletableFuture.supplyAsync(posts, pool);
    var second = CompletableFuture.supplyAsync(albums, pool);
    return CompletableFuture.completedFuture(first.join() + " & " + second.join());
}""", line="the future comes back before the fetches end"),
    wrong("ex2", "the common pool", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    var first = CompletableFuture.supplyAsync(posts);
    var second = CompletableFuture.supplyAsync(albums);
    return first.thenCombine(second, (p, a) -> p + " & " + a);
}""", line="both titles, chained side by side"),
    wrong("ex2", "thenCompose: the albums only after the posts", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    return CompletableFuture.supplyAsync(posts, pool).thenCompose(p ->
        CompletableFuture.supplyAsync(albums, pool).thenApply(a -> p + " & " + a));
}""", line="both titles, chained side by side"),
    wrong("ex2", "one task fetching both in turn", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    return CompletableFuture.supplyAsync(() -> posts.get() + " & " + albums.get(), pool);
}""", line="both titles, chained side by side"),
    wrong("ex2", "the titles as a constant", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    return CompletableFuture.completedFuture("Lorem Ipsum & Mona Lisa");
}""", line="the future comes back before the fetches end"),
    right("ex2", "allOf, then read each", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    var first = CompletableFuture.supplyAsync(posts, pool);
    var second = CompletableFuture.supplyAsync(albums, pool);
    return CompletableFuture.allOf(first, second)
        .thenApply(v -> first.join() + " & " + second.join());
}"""),
    right("ex2", "both started, then thenCompose", """
CompletableFuture<String> chainedTitles(Supplier<String> posts, Supplier<String> albums, Executor pool) {
    var first = CompletableFuture.supplyAsync(posts, pool);
    var second = CompletableFuture.supplyAsync(albums, pool);
    return first.thenCompose(p -> second.thenApply(a -> p + " & " + a));
}"""),

    wrong("ex3", "a plain thenApply", """
CompletableFuture<String> served(CompletableFuture<String> order, Executor baristas) {
    return order.thenApply(d -> d + " made by " + Thread.currentThread().getName());
}""", line="a ready order: a barista makes it"),
    wrong("ex3", "thenApplyAsync on the common pool", """
CompletableFuture<String> served(CompletableFuture<String> order, Executor baristas) {
    return order.thenApplyAsync(d -> d + " made by " + Thread.currentThread().getName());
}""", line="a late order: a barista makes it"),
    wrong("ex3", "the thread's name read outside the step", """
CompletableFuture<String> served(CompletableFuture<String> order, Executor baristas) {
    String barista = Thread.currentThread().getName();
    return order.thenApplyAsync(d -> d + " made by " + barista, baristas);
}""", line="a late order: a barista makes it"),
    wrong("ex3", "join in served, a finished future", """
CompletableFuture<String> served(CompletableFuture<String> order, Executor baristas) {
    String drink = order.join();
    return CompletableFuture.completedFuture(drink + " made by " + Thread.currentThread().getName());
}""", line="a late order: a barista makes it"),
    right("ex3", "thenCompose onto supplyAsync on the baristas", """
CompletableFuture<String> served(CompletableFuture<String> order, Executor baristas) {
    return order.thenCompose(d -> CompletableFuture.supplyAsync(
        () -> d + " made by " + Thread.currentThread().getName(), baristas));
}"""),
]


@pytest.fixture(scope="module")
def seen():
    lesson = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    helpers = {ex: [nbrun.cell_with(lesson, s) for s in snippets] for ex, snippets in {
        "ex1": ("void hundredCoffees(", "long threadsThatWaited("),      # the checks' helpers
        "ex2": ("boolean doneOnReturn(", "String titlesOnAPool("),       # that call the answer,
        "ex3": ("String whoMade(",)}.items()}                            # after each answer
    keep = ("long blockedInYourCode(", "ThreadFactory baristaThreads")
    return run(LESSON, ANSWERS, keep=keep, helpers=helpers)


@pytest.mark.kernel
def test_checks_judge_plausible_answers(seen):
    assert_judged(seen, ANSWERS)


@pytest.mark.kernel
def test_coffee_checks_say_what_blocked_and_stop_what_they_started(seen):
    pool = seen["ex1: a sleep on the common pool"]
    assert "not ready after 2.5 s, cancelled" in pool and "busy still" not in pool, pool
    assert "got 20" in seen["ex1: a sleep on a virtual-thread executor"]
    assert "got 20" in seen["ex1: a platform pool kept for every order"]


@pytest.mark.kernel
def test_the_barista_checks_name_the_thread_that_made_the_drink(seen):
    plain = seen["ex3: a plain thenApply"]
    late = next(line for line in plain.splitlines() if line.startswith("✘ a late order"))
    assert "delayscheduler" in late.lower(), late     # the JDK's timer thread, as the note says
    assert "commonPool-worker" in seen["ex3: thenApplyAsync on the common pool"]
