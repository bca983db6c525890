"""Lesson 05, when things go wrong: what a learner must see when it runs top to bottom."""
import re

import pytest

from course import nbrun
from course.nbrun import output_of as cell_with
from course.wronganswers import assert_crossed, verdicts_after_exercises

LESSON = "05-when-things-go-wrong"


@pytest.mark.kernel
def test_a_failing_gather_reports_the_cause_and_the_others_finish(executed):
    text = cell_with(executed(LESSON), 'timeline("One of two tasks fails")')
    assert "join() threw CompletionException" in text
    assert "its cause:   java.lang.IllegalStateException: the fitting room is closed" in text
    assert "posts:       [Post[id=1, title=Lorem Ipsum]]" in text
    assert nbrun.bar(text, "fitting room")[1] < 0.5 and nbrun.bar(text, "posts")[1] >= 0.95


@pytest.mark.kernel
def test_invoke_all_keeps_each_outcome(executed):
    nb = executed(LESSON)
    text = cell_with(nb, "pool.invokeAll(errands)")
    assert re.search(r"SUCCESS\s+\[Post\[id=1, title=Lorem Ipsum\]\]", text)
    assert re.search(r"FAILED\s+java.lang.IllegalStateException: the fitting room is closed", text)
    assert re.search(r"SUCCESS\s+\[Album\[id=1, title=Mona Lisa\]\]", text)
    assert "get() threw ExecutionException, caused by java.lang.IllegalStateException" in cell_with(nb, "outcomes.get(1).get(")


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
def test_failures_are_handled_in_the_chain(executed):
    nb = executed(LESSON)
    handled = cell_with(nb, "console.exceptionally(")
    assert "exceptionally: []" in handled
    assert 'handle:        failed: no content called "console"' in handled
    looked = cell_with(nb, ".whenComplete(")
    assert "whenComplete saw: java.lang.IllegalArgumentException" in looked
    assert "join() still throws, caused by java.lang.IllegalArgumentException" in looked
    assert "instead of a console: [Album[id=1, title=Mona Lisa]]" in cell_with(nb, ".exceptionallyCompose(")
    gathered = cell_with(nb, '"gather, exceptions returned"')
    assert re.search(r"\[Post\[id=1, title=Lorem Ipsum\]\]\s+java.lang.IllegalArgumentException: no content "
                     r"called \"console\".*\s+\[Album\[id=1, title=Mona Lisa\]\]", gathered), gathered
    assert 0.95 <= nbrun.seconds(gathered, "gather, exceptions returned") < 1.6


@pytest.mark.kernel
def test_an_ignored_submit_future_hides_its_exception(executed):
    nb = executed(LESSON)
    assert cell_with(nb, "// dropped: the pitfall shown").strip() == "the cell ended quietly"
    kept = cell_with(nb, "Future<List<?>> kept")
    assert "get() threw, caused by java.lang.IllegalArgumentException" in kept
    assert "FAILED: java.lang.IllegalArgumentException" in kept
    assert "the handler got: java.lang.IllegalArgumentException" in cell_with(nb, "// no future to hold it")


@pytest.mark.kernel
def test_handlers_get_the_raw_exception_from_a_future_completed_directly(executed):
    text = cell_with(executed(LESSON), "failedFuture(")
    assert "handle got IllegalStateException, unwrapped: IllegalStateException" in text
    assert "handle got TimeoutException, unwrapped: TimeoutException" in text
    assert "handle got CompletionException, unwrapped: IllegalStateException" in text


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
    for words in ("**Prerequisites:**", "**Time:**", "exceptionallyCompose", "return_exceptions=True"):
        assert words in prose, words


# Plausible wrong answers, each followed by a copy of its exercise's check; one notebook run.
WRONG = [
    ("ex1", "a timeout without cancel", "gives up after about 0.4 s", """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<List<Post>> posts = pool.submit(content::getPosts);
        try { return posts.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { return List.of(); }
    }
}"""),
    ("ex1", "completeOnTimeout on the common pool", "the fetch is interrupted", """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    return CompletableFuture.supplyAsync(content::getPosts)
        .completeOnTimeout(List.of(), limit.toMillis(), TimeUnit.MILLISECONDS).join();
}"""),
    ("ex1", "null", "posts arrive within 1.5 s", """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    return null;
}"""),
    ("ex2", "no cap", "four fetches, two at a time", """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var fs = new ArrayList<Future<Object>>();
        for (String n : names) fs.add(pool.submit(() -> (Object) content.fetch(n)));
        var out = new ArrayList<Object>();
        for (var f : fs) out.add(f.get());
        return out;
    }
}"""),
    ("ex2", "joining inside the loop", "four fetches, two at a time", """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var out = new ArrayList<Object>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) out.add(pool.submit(() -> (Object) content.fetch(n)).get());
    }
    return out;
}"""),
    ("ex2", "a semaphore on the common pool", "four fetches, two at a time", """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var free = new Semaphore(permits);
    var fs = new ArrayList<CompletableFuture<Object>>();
    for (String n : names) fs.add(CompletableFuture.supplyAsync(() -> {
        free.acquireUninterruptibly();
        try { return content.fetch(n); } finally { free.release(); }
    }));
    return fs.stream().map(CompletableFuture::join).toList();
}"""),
    ("ex3", "the CompletionException kept", "each name gets its outcome", """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture
            .<Object>supplyAsync(() -> content.fetch(n), pool).exceptionally(e -> e));
        return each.stream().map(CompletableFuture::join).toList();
    }
}"""),
    ("ex3", "one after the other", "the fetches overlap", """
List<Object> outcomes(Content content, List<String> names) {
    var out = new ArrayList<Object>();
    for (String n : names) {
        try { out.add(content.fetch(n)); } catch (RuntimeException e) { out.add(e); }
    }
    return out;
}"""),
    ("ex4", "joining inside", "returns a future at once", """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    for (String n : names) {
        try { return CompletableFuture.completedFuture(content.fetch(n)); }
        catch (RuntimeException e) { }
    }
    return CompletableFuture.failedFuture(new NoSuchElementException());
}"""),
    ("ex4", "null", "falls back to the albums", """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    return null;
}"""),
    ("ex1", "CompletableFuture.cancel(true)", "the fetch is interrupted", """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var posts = CompletableFuture.supplyAsync(content::getPosts, pool);
        try { return posts.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { posts.cancel(true); return List.of(); }
    }
}"""),
    ("ex1", "orTimeout inside the executor", "gives up after about 0.4 s", """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        return CompletableFuture.supplyAsync(content::getPosts, pool)
            .orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS)
            .exceptionally(e -> List.of()).join();
    }
}"""),
    ("ex2", "release() outside finally", "a failing fetch gives its permit back", """
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
}"""),
    ("ex2", "results added to a shared list", "results in the order of the names", """
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
}"""),
    ("ex3", "no executor", "the fetches wait on threads of yours", """
List<Object> outcomes(Content content, List<String> names) {
    List<CompletableFuture<Object>> each = new ArrayList<>();
    for (String n : names) each.add(CompletableFuture
        .<Object>supplyAsync(() -> content.fetch(n))
        .handle((v, e) -> e == null ? v : e.getCause()));
    return each.stream().map(CompletableFuture::join).toList();
}"""),
    ("ex3", "the message kept as a string", "each name gets its outcome", """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture
            .<Object>supplyAsync(() -> content.fetch(n), pool)
            .handle((v, e) -> e == null ? v : e.getCause().getMessage()));
        return each.stream().map(CompletableFuture::join).toList();
    }
}"""),
    ("ex3", "allOf, then join", "each name gets its outcome", """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture.supplyAsync(() -> content.fetch(n), pool));
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).join();
        return each.stream().map(CompletableFuture::join).toList();
    }
}"""),
    ("ex4", "every shop at once, first success", "asks only the first shop if it works", """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    var won = new CompletableFuture<Object>();
    var all = new ArrayList<CompletableFuture<?>>();
    for (String n : names) {
        try { all.add(content.fetchAsync(n).thenAccept(won::complete)); }
        catch (RuntimeException e) { }
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .whenComplete((v, e) -> won.completeExceptionally(new NoSuchElementException()));
    return won;
}"""),
    ("ex4", "exceptionally, blocking in the handler", "returns a future at once", """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    CompletableFuture<Object> result = CompletableFuture.failedFuture(new NoSuchElementException());
    for (String n : names) result = result.exceptionally(e -> content.fetch(n));
    return result;
}"""),
]

# Right answers written another way than the worked ones: every line ✔.
RIGHT = [
    ("ex1", "a cached platform pool", None, """
List<Post> postsWithin(Content content, Duration limit) throws Exception {
    try (var pool = Executors.newCachedThreadPool()) {
        Future<List<Post>> posts = pool.submit(content::getPosts);
        try { return posts.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { posts.cancel(true); return List.of(); }
    }
}"""),
    ("ex2", "a pool of permits platform threads", None, """
List<Object> fetchAll(Content content, List<String> names, int permits) throws Exception {
    var fs = new ArrayList<Future<Object>>();
    try (var pool = Executors.newFixedThreadPool(permits)) {
        for (String n : names) fs.add(pool.submit(() -> (Object) content.fetch(n)));
    }
    var out = new ArrayList<Object>();
    for (var f : fs) out.add(f.get(1, TimeUnit.SECONDS));
    return out;
}"""),
    ("ex3", "try/catch around each join", None, """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture.supplyAsync(() -> content.fetch(n), pool));
        var out = new ArrayList<Object>();
        for (var f : each) {
            try { out.add(f.join()); } catch (CompletionException e) { out.add(e.getCause()); }
        }
        return out;
    }
}"""),
    ("ex4", "a recursive fallback", None, """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    if (names.isEmpty()) return CompletableFuture.failedFuture(new NoSuchElementException());
    CompletableFuture<Object> first;
    try { first = content.fetchAsync(names.get(0)).thenApply(x -> x); }
    catch (RuntimeException e) { first = CompletableFuture.failedFuture(e); }
    return first.exceptionallyCompose(e -> firstThatWorks(content, names.subList(1, names.size())));
}"""),
]


@pytest.mark.kernel
def test_plausible_wrong_answers_get_a_cross():
    verdicts = verdicts_after_exercises(LESSON, WRONG + RIGHT, "String shop(")
    wrong, right = verdicts[:len(WRONG)], verdicts[len(WRONG):]
    assert_crossed(WRONG, wrong)
    assert "✔" in wrong[0], "later checks of a wrong answer still judge what they see"
    said = dict(zip([name for _, name, _, _ in WRONG], wrong))
    assert "a CompletableFuture's cancel" in said["CompletableFuture.cancel(true)"], "say what happened"
    assert 'the string "' in said["the message kept as a string"], "a message must not read like the exception"
    for (exercise, name, _, _), text in zip(RIGHT, right, strict=True):
        assert "✘" not in text and "✔" in text, f"{exercise}, {name}: {text}"
