"""Lesson 05, when things go wrong: what a learner must see when it runs top to bottom."""
import re

import pytest

from course import nbrun
from course.nbrun import output_of as cell_with
from course.wronganswers import judging, right, wrong

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


def test_the_lesson_waits_without_polling():
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")))
    assert "acquireUninterruptibly" not in code and "while (!" not in code


def test_the_lesson_says_what_it_teaches_and_leaves_timeouts_to_lesson_06():
    prose = nbrun.prose(LESSON)
    for words in ("# 05 · When things go wrong", "**Prerequisites:**", "**Time:** about 40 minutes",
                  "exceptionallyCompose", "return_exceptions=True", "Lesson 06"):
        assert words in prose, words
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.LESSONS / f"{LESSON}.ipynb")))
    for moved in ("orTimeout(300", "invokeAny", "ExecutorCompletionService", "new Semaphore("):
        assert moved not in code, f"{moved} belongs to lesson 06"


def test_the_checks_instruments_come_from_the_jar_not_the_lesson():
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.LESSONS / f"{LESSON}.ipynb")))
    assert "class Counted" not in code and "class Watched" not in code and "class Reversed" not in code
    assert "waits.delay()" in code


# Plausible wrong answers and right ones written another way; one notebook run.
WRONG = [
    wrong("ex1", 'the CompletionException kept', """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture
            .<Object>supplyAsync(() -> content.fetch(n), pool).exceptionally(e -> e));
        return each.stream().map(CompletableFuture::join).toList();
    }
}""",
          line='each name gets its outcome'),
    wrong("ex1", 'one after the other', """
List<Object> outcomes(Content content, List<String> names) {
    var out = new ArrayList<Object>();
    for (String n : names) {
        try { out.add(content.fetch(n)); } catch (RuntimeException e) { out.add(e); }
    }
    return out;
}""",
          line='the fetches overlap'),
    wrong("ex1", 'no executor', """
List<Object> outcomes(Content content, List<String> names) {
    List<CompletableFuture<Object>> each = new ArrayList<>();
    for (String n : names) each.add(CompletableFuture
        .<Object>supplyAsync(() -> content.fetch(n))
        .handle((v, e) -> e == null ? v : e.getCause()));
    return each.stream().map(CompletableFuture::join).toList();
}""",
          line='the fetches wait on threads of yours'),
    wrong("ex1", 'the message kept as a string', """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture
            .<Object>supplyAsync(() -> content.fetch(n), pool)
            .handle((v, e) -> e == null ? v : e.getCause().getMessage()));
        return each.stream().map(CompletableFuture::join).toList();
    }
}""",
          line='each name gets its outcome'),
    wrong("ex1", 'allOf, then join', """
List<Object> outcomes(Content content, List<String> names) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<Object>> each = new ArrayList<>();
        for (String n : names) each.add(CompletableFuture.supplyAsync(() -> content.fetch(n), pool));
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).join();
        return each.stream().map(CompletableFuture::join).toList();
    }
}""",
          line='each name gets its outcome'),
    wrong("ex3", 'joining inside', """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    for (String n : names) {
        try { return CompletableFuture.completedFuture(content.fetch(n)); }
        catch (RuntimeException e) { }
    }
    return CompletableFuture.failedFuture(new NoSuchElementException());
}""",
          line='returns a future at once'),
    wrong("ex3", 'null', """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    return null;
}""",
          line='falls back to the albums'),
    wrong("ex3", 'every shop at once, first success', """
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
}""",
          line='asks only the first shop if it works'),
    wrong("ex3", 'exceptionally, blocking in the handler', """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    CompletableFuture<Object> result = CompletableFuture.failedFuture(new NoSuchElementException());
    for (String n : names) result = result.exceptionally(e -> content.fetch(n));
    return result;
}""",
          line='returns a future at once'),
    wrong("ex2", "the futures dropped", """
List<Throwable> failures(Content content, List<String> names) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) pool.submit(() -> content.fetch(n));
    }
    return new ArrayList<>();
}""", line="a failed fetch is read"),
    wrong("ex2", "the ExecutionException kept", """
List<Throwable> failures(Content content, List<String> names) throws Exception {
    var fs = new ArrayList<Future<List<?>>>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) fs.add(pool.submit(() -> content.fetch(n)));
    }
    var failed = new ArrayList<Throwable>();
    for (var f : fs) {
        try { f.get(1, TimeUnit.SECONDS); } catch (ExecutionException e) { failed.add(e); }
    }
    return failed;
}""", line="a failed fetch is read"),
    wrong("ex2", "exceptionNow() on every future", """
List<Throwable> failures(Content content, List<String> names) throws Exception {
    var fs = new ArrayList<Future<List<?>>>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) fs.add(pool.submit(() -> content.fetch(n)));
    }
    var failed = new ArrayList<Throwable>();
    for (var f : fs) failed.add(f.exceptionNow());
    return failed;
}""", line="a failed fetch is read"),
    wrong("ex2", "get() right after each submit", """
List<Throwable> failures(Content content, List<String> names) throws Exception {
    var failed = new ArrayList<Throwable>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (String n : names) {
            try { pool.submit(() -> content.fetch(n)).get(2, TimeUnit.SECONDS); }
            catch (ExecutionException e) { failed.add(e.getCause()); }
        }
    }
    return failed;
}""", line="the fetches overlap"),
    wrong("ex2", "a list written out by hand", """
List<Throwable> failures(Content content, List<String> names) throws Exception {
    return List.of(new IllegalArgumentException("no content called \\"console\\""));
}""", line="every failure, in the order of the names"),
]

RIGHT = [
    right("ex1", 'try/catch around each join', """
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
    right("ex3", 'a recursive fallback', """
CompletableFuture<Object> firstThatWorks(Content content, List<String> names) {
    if (names.isEmpty()) return CompletableFuture.failedFuture(new NoSuchElementException());
    CompletableFuture<Object> first;
    try { first = content.fetchAsync(names.get(0)).thenApply(x -> x); }
    catch (RuntimeException e) { first = CompletableFuture.failedFuture(e); }
    return first.exceptionallyCompose(e -> firstThatWorks(content, names.subList(1, names.size())));
}"""),
    right("ex2", "invokeAll, then the cause of each ExecutionException", """
List<Throwable> failures(Content content, List<String> names) throws Exception {
    List<Callable<Object>> fetches = new ArrayList<>();
    for (String n : names) fetches.add(() -> content.fetch(n));
    var failed = new ArrayList<Throwable>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (var f : pool.invokeAll(fetches)) {
            try { f.get(1, TimeUnit.SECONDS); }
            catch (ExecutionException e) { failed.add(e.getCause()); }
        }
    }
    return failed;
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, exercises=True)


@pytest.mark.kernel
def test_a_message_kept_as_a_string_is_told_apart(verdicts):
    assert 'the string "' in verdicts["ex1: the message kept as a string"], \
        "a message must not read like the exception"


