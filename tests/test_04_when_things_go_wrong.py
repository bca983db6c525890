"""Lesson 04, when things go wrong: what a learner must see when it runs top to bottom."""
import re

import pytest

from course import nbrun
from course.nbrun import output_of as cell_with
from course.wronganswers import assert_crossed, verdicts_after_exercises

LESSON = "04-when-things-go-wrong"


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
    assert "get() threw ExecutionException, caused by java.lang.IllegalStateException" in cell_with(nb, "outcomes.get(1).get()")


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
    assert cell_with(nb, "// the future is dropped").strip() == "the cell ended quietly"
    assert "FAILED: java.lang.IllegalArgumentException" in cell_with(nb, "Future<List<?>> kept")


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
]


@pytest.mark.kernel
def test_plausible_wrong_answers_get_a_cross():
    verdicts = verdicts_after_exercises(LESSON, WRONG, "String shop(")
    assert_crossed(WRONG, verdicts)
    assert "✔" in verdicts[0], "later checks of a wrong answer still judge what they see"
