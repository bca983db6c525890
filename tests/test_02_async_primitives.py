"""Lesson 02, async primitives: what a learner must see when it runs top to bottom."""
import re

import pytest

from course import nbrun
from course.wronganswers import assert_all_crossed, assert_all_ticked, together, verdicts_by_answer, wrong_answers_notebook

LESSON = "02-async-primitives"


@pytest.mark.kernel
def test_threads_say_what_kind_they_are(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "trying on clothes on thread fitting-room" in text
    assert "buying a console on console-till, virtual: true" in text
    assert "fetch on virtual thread 'shopper-1'" in text
    assert "thenApply on virtual thread 'shopper-1'" in text
    assert "thenApplyAsync on virtual thread 'shopper-2'" in text
    assert "this cell runs on platform thread" in text
    assert "still running after join? true" not in text


@pytest.mark.kernel
def test_futures_overlap_the_two_fetches(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "Lorem Ipsum" in text and "Mona Lisa" in text
    for label in ("two fetches, one executor", "combine, then compose", "non-blocking fetches",
                  "own executor"):
        assert 0.95 <= nbrun.seconds(text, label) < 1.8, label
    assert "1 post, 1 album, then coffee" in text


@pytest.mark.kernel
def test_blocking_waits_queue_and_timers_do_not(executed):
    text = nbrun.all_text(executed(LESSON))
    assert 1.95 <= nbrun.seconds(text, "4 blocking waits, 2 threads") < 2.8
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
    assert "JDK-8319447" in prose and "JEP 491" in prose
    assert "Java 17 started a new thread" not in prose      # the old, version-blind sentence


@pytest.mark.kernel
def test_sleeping_inside_synchronized_does_not_pin_on_this_jdk(executed):
    text = nbrun.all_text(executed(LESSON))
    feature = int(re.search(r"Java (\d+)\S*, \d+ sleepers", text).group(1))
    took = nbrun.seconds(text, "sleeping inside synchronized")
    if feature >= 24:
        assert 0.45 <= took < 1.2, took      # four sleepers per carrier, all at once


@pytest.mark.kernel
def test_supply_async_starts_before_anyone_waits(executed):
    assert "started before anyone waited for it: true" in nbrun.all_text(executed(LESSON))


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
    assert "# 02 · Async primitives" in nbrun.prose(LESSON)




WRONG = {
    "ex1": {
        "the common pool": """
String bothTitles(Supplier<String> posts, Supplier<String> albums) {
    var first = CompletableFuture.supplyAsync(posts);
    var second = CompletableFuture.supplyAsync(albums);
    return first.thenCombine(second, (p, a) -> p + " & " + a).join();
}""",
        "one after the other": """
String bothTitles(Supplier<String> posts, Supplier<String> albums) {
    return posts.get() + " & " + albums.get();
}""",
        "join before the second starts": """
String bothTitles(Supplier<String> posts, Supplier<String> albums) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        String p = CompletableFuture.supplyAsync(posts, pool).join();
        return p + " & " + CompletableFuture.supplyAsync(albums, pool).join();
    }
}""",
        "null": """
String bothTitles(Supplier<String> posts, Supplier<String> albums) { return null; }""",
    },
    "ex2": {
        "the cell's own thread": """
Thread whereItRan() { return Thread.currentThread(); }""",
        "the common pool": """
Thread whereItRan() throws Exception {
    return CompletableFuture.supplyAsync(Thread::currentThread).get(2, TimeUnit.SECONDS);
}""",
        "a platform thread of its own": """
Thread whereItRan() throws Exception {
    var seen = new CompletableFuture<Thread>();
    new Thread(() -> seen.complete(Thread.currentThread())).start();
    return seen.get(2, TimeUnit.SECONDS);
}""",
        "a virtual thread started, the caller returned": """
Thread whereItRan() throws Exception {
    Thread.ofVirtual().start(() -> {}).join(Duration.ofSeconds(2));
    return Thread.currentThread();
}""",
    },
    "ex4": {
        "started while the recipe is made": """
<T> Function<Executor, CompletableFuture<T>> recipe(Supplier<T> work) {
    var started = CompletableFuture.supplyAsync(work, Executors.newVirtualThreadPerTaskExecutor());
    return pool -> started;
}""",
        "runs on the applying thread": """
<T> Function<Executor, CompletableFuture<T>> recipe(Supplier<T> work) {
    return pool -> CompletableFuture.completedFuture(work.get());
}""",
        "the pool it is given ignored: the common pool": """
<T> Function<Executor, CompletableFuture<T>> recipe(Supplier<T> work) {
    return pool -> CompletableFuture.supplyAsync(work);
}""",
    },
    "ex3": {
        "a sleeping virtual thread per coffee": """
CompletableFuture<String> coffeeAfter(Duration wait) {
    var cup = new CompletableFuture<String>();
    Thread.ofVirtual().start(() -> {
        try { Thread.sleep(wait); cup.complete("coffee"); }
        catch (InterruptedException e) { cup.completeExceptionally(e); }
    });
    return cup;
}""",
        "ready at once": """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return CompletableFuture.completedFuture("coffee");
}""",
        "a sleep on the common pool": """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return CompletableFuture.supplyAsync(() -> {
        try { Thread.sleep(wait); } catch (InterruptedException e) { throw new RuntimeException(e); }
        return "coffee";
    });
}""",
        "a sleep on a virtual-thread executor": """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return CompletableFuture.supplyAsync(() -> {
        try { Thread.sleep(wait); } catch (InterruptedException e) { throw new RuntimeException(e); }
        return "coffee";
    }, Executors.newVirtualThreadPerTaskExecutor());
}""",
        "a platform pool kept for every order": """
ExecutorService baristaPool = Executors.newCachedThreadPool();
CompletableFuture<String> coffeeAfter(Duration wait) {
    return CompletableFuture.supplyAsync(() -> {
        try { Thread.sleep(wait); } catch (InterruptedException e) { throw new RuntimeException(e); }
        return "coffee";
    }, baristaPool);
}""",
    },
}

# right answers written another way than the worked one: each gets only ✔
RIGHT = {
    "ex1": {
        "a platform pool and get with a timeout": """
String bothTitles(Supplier<String> posts, Supplier<String> albums) {
    try (var pool = Executors.newCachedThreadPool()) {
        var first = CompletableFuture.supplyAsync(posts, pool);
        var second = CompletableFuture.supplyAsync(albums, pool);
        return first.get(5, TimeUnit.SECONDS) + " & " + second.get(5, TimeUnit.SECONDS);
    } catch (Exception e) { throw new IllegalStateException(e); }
}""",
    },
    "ex2": {
        "a virtual-thread executor": """
Thread whereItRan() throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        return pool.submit(Thread::currentThread).get(2, TimeUnit.SECONDS);
    }
}""",
    },
    "ex3": {
        "the library's delay": """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return realDelay().after(wait).thenApply(v -> "coffee");
}""",
        "completeOnTimeout": """
CompletableFuture<String> coffeeAfter(Duration wait) {
    return new CompletableFuture<String>()
        .completeOnTimeout("coffee", wait.toMillis(), TimeUnit.MILLISECONDS);
}""",
    },
    "ex4": {
        "a Supplier of the future, applied later": """
<T> Function<Executor, CompletableFuture<T>> recipe(Supplier<T> work) {
    return pool -> {
        var cup = new CompletableFuture<T>();
        pool.execute(() -> cup.complete(work.get()));
        return cup;
    };
}""",
    },
}


@pytest.fixture(scope="module")
def verdicts():
    keep = ("CompletableFuture<String> coffeeAfter(", "void hundredCoffees(",   # helpers the
            "long blockedInYourCode(", "long threadsThatWaited(",   # checks use
            "CompletableFuture<T>> recipe(", "String twoRecipes(")
    both = together(WRONG, RIGHT)
    return wrong_answers_notebook(LESSON, both, keep)


@pytest.mark.kernel
def test_wrong_answers_get_a_cross(verdicts):
    assert_all_crossed(verdicts, WRONG)


@pytest.mark.kernel
def test_right_answers_written_another_way_get_a_tick(verdicts):
    assert_all_ticked(verdicts, RIGHT)


@pytest.mark.kernel
def test_coffee_checks_say_what_blocked_and_stop_what_they_started(verdicts):
    seen = verdicts_by_answer(verdicts)
    pool = seen["ex3: a sleep on the common pool"]
    assert "not ready after 2.5 s, cancelled" in pool and "busy still" not in pool, pool
    assert "got 20" in seen["ex3: a sleep on a virtual-thread executor"]
    assert "got 20" in seen["ex3: a platform pool kept for every order"]


@pytest.mark.kernel
def test_join_ignores_an_interrupt_and_get_does_not(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "in get(timeout), still waiting: false" in text
    assert "in join(), still waiting: true" in text
    assert "get threw java.lang.InterruptedException" in text
