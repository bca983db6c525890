"""Lesson 06, timeouts, cancellation and races: what a learner must see when it runs top to bottom."""
import re

import pytest

from course import nbrun
from course.nbrun import output_of as cell_with
from course.wronganswers import judging, right, wrong

LESSON = "06-timeouts-and-cancellation"


@pytest.mark.kernel
def test_timeouts_are_reported(executed):
    nb = executed(LESSON)
    late = cell_with(nb, ".orTimeout(300")
    assert "gave up: java.util.concurrent.TimeoutException" in late
    assert nbrun.bar(late, "waiting")[1] < 0.6 and nbrun.bar(late, "posts")[1] >= 0.95, "orTimeout should not stop the work"
    assert "posts after 0.3 s: [] (the fallback)" in cell_with(nb, ".completeOnTimeout(")
    said = nbrun.cell_with(nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb"), ".completeOnTimeout(").source
    assert '" (the fallback)"' not in said, "the cell must say what happened, not assume it"
    text = nbrun.all_text(nb)
    assert "no posts within 0.3 s; cancelled: true" in text
    assert 0.25 <= nbrun.seconds(text, "get with a timeout, then cancel") < 0.8


@pytest.mark.kernel
def test_cancellation_interrupts_and_a_stubborn_task_runs_on(executed):
    nb = executed(LESSON)
    leaving = cell_with(nb, 'timeline("Cancelled after 0.2 s")')
    assert "cancelled: true, state: CANCELLED" in leaving
    assert "get() threw CancellationException" in leaving
    assert nbrun.bar(leaving, "posts")[1] < 0.6
    assert "sleep threw InterruptedException; interrupted flag now false" in nbrun.all_text(nb)
    stubborn = cell_with(nb, 'timeline("A task that ignores interruption")')
    assert "cancelled: true, yet the task keeps running" in stubborn
    assert nbrun.bar(stubborn, "stubborn")[1] >= 0.45


@pytest.mark.kernel
def test_the_first_result_wins(executed):
    nb = executed(LESSON)
    text = nbrun.all_text(nb)
    assert text.count("bought at the shop by the entrance") == 2
    any_of = cell_with(nb, 'timeline("anyOf, then close()")')
    assert nbrun.bar(any_of, "entrance")[1] < 0.6
    assert nbrun.bar(any_of, "upstairs")[1] >= 0.65, "cancelling a CompletableFuture does not interrupt"
    race = cell_with(nb, 'timeline("invokeAny")')
    assert nbrun.bar(race, "upstairs")[1] < 0.6, "invokeAny should interrupt the slower shop"


@pytest.mark.kernel
def test_results_come_in_the_order_they_finish(executed):
    text = nbrun.all_text(executed(LESSON))
    assert re.search(r"ready: coffee\s+ready: jacket\s+ready: console", text)


@pytest.mark.kernel
def test_the_semaphore_lets_two_run_at_once(executed):
    nb = executed(LESSON)
    text = cell_with(nb, "new Semaphore(2)")
    assert "6 tasks · at most 2 running at once" in text
    assert 2.9 <= nbrun.seconds(text, "6 fetches, 2 at a time") < 4.0
    ends = sorted(nbrun.bar(text, f"order {i}")[1] for i in range(1, 7))
    assert ends[1] < 1.5 and 1.5 < ends[2] < 2.5 and ends[4] > 2.5, f"not three waves of two: {ends}"


@pytest.mark.kernel
def test_cancelling_a_completable_future_reaches_neither_way_back(executed):
    nb = executed(LESSON)
    assert "receipt: CANCELLED; order: RUNNING, still waiting for the shop" in cell_with(nb, "receipt.cancel(true)")
    assert ("receipt2: FAILED, isCancelled false, join() threw CompletionException caused by "
            "CancellationException") in cell_with(nb, "order2.cancel(true)")


def test_the_lesson_waits_without_polling_and_lets_a_cancel_end_a_wait():
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")))
    assert "acquireUninterruptibly" not in code and "while (!" not in code
    assert "resultNow" not in nbrun.cell_with(nbrun.read(nbrun.LESSONS / f"{LESSON}.ipynb"),
                                              "List<Object> fetchAll(").source


def test_the_lesson_keeps_interrupts_and_cancellation_apart():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    code = "\n".join(c.source for c in nbrun.code_cells(nb))
    assert "new CancellationException" not in code and "catch (CancellationException e)" in code
    prose = nbrun.prose(LESSON)
    for words in ("# 06 · Timeouts, cancellation and races", "**Prerequisites:** lesson 05",
                  "**Time:** about 40 minutes", "wait_for", "as_completed"):
        assert words in prose, words


def test_the_checks_instruments_come_from_the_jar_not_the_lesson():
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.LESSONS / f"{LESSON}.ipynb")))
    assert "class Counted" not in code and "class Watched" not in code and "class Reversed" not in code
    assert "waits.delay()" in code and ".reversedDelay(" in code


# Plausible wrong answers and right ones written another way; one notebook run.
WRONG = [
    wrong("ex1", 'a timeout without cancel', """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<List<Post>> posts = pool.submit(content::getPosts);
        try { return posts.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { return List.of(); }
    }
}""",
          line='gives up after about 0.4 s'),
    wrong("ex1", 'completeOnTimeout on the common pool', """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    return CompletableFuture.supplyAsync(content::getPosts)
        .completeOnTimeout(List.of(), limit.toMillis(), TimeUnit.MILLISECONDS).join();
}""",
          line='the fetch is interrupted'),
    wrong("ex1", 'null', """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    return null;
}""",
          line='posts arrive within 1.5 s'),
    wrong("ex1", 'CompletableFuture.cancel(true)', """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var posts = CompletableFuture.supplyAsync(content::getPosts, pool);
        try { return posts.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { posts.cancel(true); return List.of(); }
    }
}""",
          line='the fetch is interrupted'),
    wrong("ex1", 'orTimeout inside the executor', """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        return CompletableFuture.supplyAsync(content::getPosts, pool)
            .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
            .exceptionally(e -> List.of()).join();
    }
}""",
          line='gives up after about 0.4 s'),
    wrong("ex2", 'no cap', """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var fs = new ArrayList<Future<Object>>();
        for (String n : names) fs.add(pool.submit(() -> (Object) content.fetch(n)));
        var out = new ArrayList<Object>();
        for (var f : fs) out.add(f.get());
        return out;
    }
}""",
          line='four fetches, two at a time'),
    wrong("ex2", 'joining inside the loop', """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var out = new ArrayList<Object>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) out.add(pool.submit(() -> (Object) content.fetch(n)).get());
    }
    return out;
}""",
          line='four fetches, two at a time'),
    wrong("ex2", 'a semaphore on the common pool', """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var free = new Semaphore(permits);
    var fs = new ArrayList<CompletableFuture<Object>>();
    for (String n : names) fs.add(CompletableFuture.supplyAsync(() -> {
        free.acquireUninterruptibly();
        try { return content.fetch(n); } finally { free.release(); }
    }));
    return fs.stream().map(CompletableFuture::join).toList();
}""",
          line='four fetches, two at a time'),
    wrong("ex2", 'release() outside finally', """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var free = new Semaphore(permits);
    var fs = new ArrayList<Future<Object>>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) fs.add(pool.submit(() -> {
            free.acquire();
            Object got = content.fetch(n);
            free.release();
            return got;
        }));
    }
    var out = new ArrayList<Object>();
    for (var f : fs) out.add(f.get(1, TimeUnit.SECONDS));
    return out;
}""",
          line='a failing fetch gives its permit back'),
    wrong("ex2", 'results added to a shared list', """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var free = new Semaphore(permits);
    var out = Collections.synchronizedList(new ArrayList<Object>());
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) pool.submit(() -> {
            free.acquire();
            try { out.add(content.fetch(n)); } finally { free.release(); }
            return null;
        });
    }
    return out;
}""",
          line='results in the order of the names'),
    wrong("ex3", "invokeAll, read in turn", """
List<String> asTheyFinish(List<Callable<String>> shops) throws Exception {
    var out = new ArrayList<String>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var f : pool.invokeAll(shops)) {
            if (f.state() == Future.State.SUCCESS) out.add(f.resultNow());
        }
    }
    return out;
}""", line="the first to finish comes first"),
    wrong("ex3", "sorted", """
List<String> asTheyFinish(List<Callable<String>> shops) throws Exception {
    var out = new ArrayList<String>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var f : pool.invokeAll(shops)) {
            if (f.state() == Future.State.SUCCESS) out.add(f.resultNow());
        }
    }
    Collections.sort(out);
    return out;
}""", line="the first to finish comes first"),
    wrong("ex3", "one shop after the other", """
List<String> asTheyFinish(List<Callable<String>> shops) throws Exception {
    var out = new ArrayList<String>();
    for (var shop : shops) {
        try { out.add(shop.call()); } catch (IllegalStateException e) { }
    }
    return out;
}""", line="the first to finish comes first"),
    wrong("ex3", "the futures read backwards", """
List<String> asTheyFinish(List<Callable<String>> shops) throws Exception {
    var out = new ArrayList<String>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var fs = pool.invokeAll(shops);
        for (int i = fs.size() - 1; i >= 0; i--) {
            if (fs.get(i).state() == Future.State.SUCCESS) out.add(fs.get(i).resultNow());
        }
    }
    return out;
}""", line="the order they finish, not the order given"),
    wrong("ex3", "take().get() without asking state()", """
List<String> asTheyFinish(List<Callable<String>> shops) throws Exception {
    var out = new ArrayList<String>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var done = new ExecutorCompletionService<String>(pool);
        for (var shop : shops) done.submit(shop);
        for (int i = 0; i < shops.size(); i++) out.add(done.take().get(1, TimeUnit.SECONDS));
    }
    return out;
}""", line="a sold-out shop is left out"),
]

RIGHT = [
    right("ex1", 'a cached platform pool', """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newCachedThreadPool()) {
        Future<List<Post>> posts = pool.submit(content::getPosts);
        try { return posts.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { posts.cancel(true); return List.of(); }
    }
}"""),
    right("ex2", 'a pool of permits platform threads', """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var fs = new ArrayList<Future<Object>>();
    try (var pool = Executors.newFixedThreadPool(permits)) {
        for (String n : names) fs.add(pool.submit(() -> (Object) content.fetch(n)));
    }
    var out = new ArrayList<Object>();
    for (var f : fs) out.add(f.get(1, TimeUnit.SECONDS));
    return out;
}"""),
    right("ex3", "thenAccept into a queue", """
List<String> asTheyFinish(List<Callable<String>> shops) {
    var done = new LinkedBlockingQueue<String>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var shop : shops) {
            var added = CompletableFuture.supplyAsync(() -> {
                try { return shop.call(); }
                catch (Exception e) { throw new CompletionException(e); }
            }, pool).thenAccept(done::add);
        }
    }
    return List.copyOf(done);
}"""),
    right("ex3", "each task adds its own result", """
List<String> asTheyFinish(List<Callable<String>> shops) {
    var done = Collections.synchronizedList(new ArrayList<String>());
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var shop : shops) pool.execute(() -> {
            try { done.add(shop.call()); } catch (Exception e) { }
        });
    }
    return List.copyOf(done);
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, exercises=True, keep=("String shop(",))


@pytest.mark.kernel
def test_crosses_say_what_happened_and_later_checks_still_judge(verdicts):
    assert "✔" in verdicts["ex1: a timeout without cancel"], "later checks of a wrong answer still judge what they see"
    assert "a CompletableFuture's cancel" in verdicts["ex1: CompletableFuture.cancel(true)"], "say what happened"


