"""Lesson 02, threads and executors: what a learner must see when it runs top to bottom, and checks
that tell right answers from plausible wrong ones."""
import pytest

from course import nbrun
from course.wronganswers import assert_judged, right, run, wrong

LESSON = "02-threads-and-executors"


@pytest.mark.kernel
def test_threads_say_what_kind_they_are(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "trying on clothes on thread fitting-room" in text
    assert "buying a console on console-till, virtual: true" in text
    assert "still running after join? true" not in text


@pytest.mark.kernel
def test_futures_overlap_the_two_fetches(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "Lorem Ipsum" in text and "Mona Lisa" in text
    assert 0.95 <= nbrun.seconds(text, "two fetches, one executor") < 1.8


@pytest.mark.kernel
def test_blocking_waits_queue_for_a_thread(executed):
    text = nbrun.all_text(executed(LESSON))
    assert 1.95 <= nbrun.seconds(text, "4 blocking waits, 2 threads") < 2.8


@pytest.mark.kernel
def test_the_blocking_waits_are_drawn_in_two_rounds(executed):
    nb = executed(LESSON)
    (cell,) = [c for c in nbrun.code_cells(nb) if "four waits on two platform threads" in c.source]
    text = nbrun.text_of(cell)
    bars = sorted(nbrun.bar(text, f"wait {i}") for i in range(1, 5))
    first, second = bars[:2], bars[2:]
    assert all(start >= min(end for _, end in first) - 0.05 for start, _ in second), bars
    pictures = nbrun.rich_outputs(nb, "image/svg+xml") + nbrun.rich_outputs(nb, "text/html")
    assert any("<svg" in p and "four waits on two platform threads" in p for p in pictures)


@pytest.mark.kernel
def test_a_submitted_task_starts_before_anyone_waits(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "made, not submitted, started: false" in text
    assert "started before anyone waited for it: true" in text


def test_the_lesson_has_its_title():
    prose = nbrun.prose(LESSON)
    assert "# 02 · Threads and executors" in prose
    assert "[lesson 08](08-shared-state.ipynb)" in prose      # pinning is told there, once
    assert "JEP 491" not in prose and "supplyAsync" not in prose


# ---------------------------------------------------------------------------------------------
# Plausible answers fed to the checks in one run: each wrong one gets ✘, each right one only ✔.

ANSWERS = [
    wrong("ex1", "one after the other on your own thread", """
String bothTitles(Callable<String> posts, Callable<String> albums) throws Exception {
    return posts.call() + " & " + albums.call();
}""", line="both titles"),
    wrong("ex1", "get before the second submit", """
String bothTitles(Callable<String> posts, Callable<String> albums) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        String p = pool.submit(posts).get(3, TimeUnit.SECONDS);
        return p + " & " + pool.submit(albums).get(3, TimeUnit.SECONDS);
    }
}""", line="both titles"),
    wrong("ex1", "a single-thread executor", """
String bothTitles(Callable<String> posts, Callable<String> albums) throws Exception {
    try (var pool = Executors.newSingleThreadExecutor()) {
        var first = pool.submit(posts);
        var second = pool.submit(albums);
        return first.get(3, TimeUnit.SECONDS) + " & " + second.get(3, TimeUnit.SECONDS);
    }
}""", line="both titles"),
    wrong("ex1", "the common pool", """
String bothTitles(Callable<String> posts, Callable<String> albums) throws Exception {
    var first = ForkJoinPool.commonPool().submit(posts);
    var second = ForkJoinPool.commonPool().submit(albums);
    return first.get(3, TimeUnit.SECONDS) + " & " + second.get(3, TimeUnit.SECONDS);
}""", line="both titles"),
    wrong("ex1", "the titles as a constant", """
String bothTitles(Callable<String> posts, Callable<String> albums) {
    return "Lorem Ipsum & Mona Lisa";
}""", line="both titles"),
    right("ex1", "invokeAll on a platform pool of two", """
String bothTitles(Callable<String> posts, Callable<String> albums) throws Exception {
    try (var pool = Executors.newFixedThreadPool(2)) {
        List<Future<String>> both = pool.invokeAll(List.of(posts, albums), 3, TimeUnit.SECONDS);
        return both.get(0).get() + " & " + both.get(1).get();
    }
}"""),
    right("ex1", "two virtual threads running FutureTasks", """
String bothTitles(Callable<String> posts, Callable<String> albums) throws Exception {
    var first = new FutureTask<>(posts);
    var second = new FutureTask<>(albums);
    Thread.ofVirtual().start(first);
    Thread.ofVirtual().start(second);
    return first.get(3, TimeUnit.SECONDS) + " & " + second.get(3, TimeUnit.SECONDS);
}"""),

    wrong("ex2", "the cell's own thread", """
Thread whereItRan() { return Thread.currentThread(); }""", line="the work ran on a virtual thread"),
    wrong("ex2", "a virtual thread started, the caller returned", """
Thread whereItRan() throws Exception {
    Thread.ofVirtual().start(() -> {}).join(Duration.ofSeconds(2));
    return Thread.currentThread();
}""", line="the work ran on a virtual thread"),
    wrong("ex2", "a fixed platform pool", """
Thread whereItRan() throws Exception {
    try (var pool = Executors.newFixedThreadPool(1)) {
        return pool.submit(() -> Thread.currentThread()).get(2, TimeUnit.SECONDS);
    }
}""", line="the work ran on a virtual thread"),
    wrong("ex2", "the common pool", """
Thread whereItRan() throws Exception {
    return ForkJoinPool.commonPool().submit(() -> Thread.currentThread()).get(2, TimeUnit.SECONDS);
}""", line="the work ran on a virtual thread"),
    wrong("ex2", "a platform thread of its own", """
Thread whereItRan() throws Exception {
    var ran = new FutureTask<Thread>(Thread::currentThread);
    new Thread(ran).start();
    return ran.get(2, TimeUnit.SECONDS);
}""", line="the work ran on a virtual thread"),
    right("ex2", "Thread.ofVirtual, remembered in a CompletableFuture", """
Thread whereItRan() throws Exception {
    var seen = new CompletableFuture<Thread>();
    Thread.ofVirtual().name("exercise-2").start(() -> seen.complete(Thread.currentThread()));
    return seen.get(2, TimeUnit.SECONDS);
}"""),
    right("ex2", "Thread.ofVirtual running a FutureTask", """
Thread whereItRan() throws Exception {
    var ran = new FutureTask<Thread>(Thread::currentThread);
    Thread.ofVirtual().start(ran);
    return ran.get(2, TimeUnit.SECONDS);
}"""),

    wrong("ex3", "submitted while the recipe is made", """
<T> Function<ExecutorService, Future<T>> recipe(Callable<T> work) {
    var started = Executors.newVirtualThreadPerTaskExecutor().submit(work);
    return pool -> started;
}""", line="making a recipe starts nothing"),
    wrong("ex3", "called on the applying thread, its value submitted", """
<T> Function<ExecutorService, Future<T>> recipe(Callable<T> work) {
    return pool -> {
        try {
            T value = work.call();
            return pool.submit(() -> value);
        } catch (Exception e) { throw new IllegalStateException(e); }
    };
}""", line="two recipes applied together run at once"),
    wrong("ex3", "the pool it is given ignored: the common pool", """
<T> Function<ExecutorService, Future<T>> recipe(Callable<T> work) {
    return pool -> ForkJoinPool.commonPool().submit(work);
}""", line="two recipes applied together run at once"),
    right("ex3", "a FutureTask handed to execute", """
<T> Function<ExecutorService, Future<T>> recipe(Callable<T> work) {
    return pool -> {
        var task = new FutureTask<T>(work);
        pool.execute(task);
        return task;
    };
}"""),
]


@pytest.fixture(scope="module")
def seen():
    lesson = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    helpers = {"ex3": [nbrun.cell_with(lesson, "String twoRecipes(")]}   # calls the answer
    return run(LESSON, ANSWERS, helpers=helpers)


@pytest.mark.kernel
def test_checks_judge_plausible_answers(seen):
    assert_judged(seen, ANSWERS)


@pytest.mark.kernel
def test_the_checks_say_what_went_wrong(seen):
    assert "common pool" in seen["ex1: the common pool"], seen["ex1: the common pool"]
    assert "platform thread" in seen["ex2: a fixed platform pool"]
