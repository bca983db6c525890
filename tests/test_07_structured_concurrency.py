"""Lesson 07, structured concurrency: what a learner must see on the preview kernel, and on the
plain one by mistake."""
import functools
import re

import pytest

from course import nbrun
from course.nbrun import output_of as cell_with
from course.wronganswers import judging, right, wrong

pytestmark = pytest.mark.kernel

LESSON = "07-structured-concurrency"
PREVIEW_ERROR = "is a preview API and is disabled by default"


@functools.lru_cache(maxsize=None)
def on_the_plain_kernel():
    """The lesson as a learner runs it after picking the plain `java` kernel by mistake."""
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    nb.metadata.kernelspec = {"name": "java", "display_name": "Java", "language": "java"}
    return nbrun.execute(nb, cwd=nbrun.NOTEBOOKS)


def test_it_runs_on_the_preview_kernel_of_java_25(executed):
    nb = executed(LESSON)
    for path in (nbrun.NOTEBOOKS / f"{LESSON}.ipynb", nbrun.NOTEBOOKS / "solutions" / f"{LESSON}.ipynb"):
        assert nbrun.read(path).metadata.kernelspec.name == "java-preview"
    text = cell_with(nb, "Runtime.version().feature()")
    assert text.strip() == "Java 25, preview features on", text
    assert "⚠" not in nbrun.all_text(nb)


def test_fork_and_join_gather_in_one_second(executed):
    text = cell_with(executed(LESSON), 'timeline("fork, fork, join")')
    assert "[Post[id=1, title=Lorem Ipsum]] [Album[id=1, title=Mona Lisa]]" in text
    assert 0.95 <= nbrun.seconds(text, "posts and albums in a scope") < 1.6
    assert "at most 2 running at once" in text


def test_a_failure_cancels_the_sibling(executed):
    text = cell_with(executed(LESSON), 'timeline("A failure cancels its sibling")')
    # the sibling's own "albums: interrupted" line races the join's lines; its state and bar do not
    assert "join() threw FailedException, caused by java.lang.IllegalStateException: the fitting room is closed" in text
    assert "albums subtask: UNAVAILABLE" in text
    assert "the albums' thread was interrupted: true" in text
    assert nbrun.bar(text, "albums")[1] < 0.6, "the albums fetch should stop when the fitting room fails (0.3 s)"


def test_joiners_return_all_results_or_the_first(executed):
    nb = executed(LESSON)
    assert "done: [console, jacket, coffee]" in cell_with(nb, "allSuccessfulOrThrow()")
    race = cell_with(nb, 'timeline("The first success wins")')
    assert "bought at the shop by the entrance" in race
    assert nbrun.bar(race, "upstairs")[1] < 0.6, "the slower shop should be cancelled"


def test_a_deadline_interrupts_the_work(executed):
    text = cell_with(executed(LESSON), 'timeline("A 0.5 s deadline")')
    assert "deadline passed: both fetches interrupted" in text
    assert nbrun.bar(text, "posts")[1] < 0.8 and nbrun.bar(text, "albums")[1] < 0.8


def test_work_that_ignores_interrupts_keeps_close_waiting(executed):
    text = cell_with(executed(LESSON), "a subtask that ignores it")
    assert "join() gave up: TimeoutException" in text
    assert "the subtask is UNAVAILABLE; now close()" in text and "close() returned" in text
    assert nbrun.bar(text, "join()")[1] < 0.6, "join() should give up at the 0.3 s deadline"
    assert 1.45 <= nbrun.bar(text, "stubborn")[1] < 2.5, "the stubborn subtask runs its 1.5 s"


def test_the_scope_enforces_its_rules_on_java_25(executed):
    text = cell_with(executed(LESSON), "// no join()")
    assert "join again: java.lang.IllegalStateException" in text
    assert "fork, then: java.lang.IllegalStateException" in text
    assert "close without join: java.lang.IllegalStateException" in text


def test_the_lesson_states_what_it_needs_and_what_jdk_it_follows():
    prose = nbrun.prose(LESSON)
    for words in ("**Prerequisites:**", "**Time:**", "JEP 525", "--source 25"):
        assert words in prose, words
    assert "stops the work" not in prose, "a deadline interrupts; it does not stop work that ignores it"
    code = "\n".join(c.source for c in nbrun.code_cells(nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")))
    assert "CancellationException" not in code, "interrupts are not cancellation"


WRONG = [
    wrong("ex1", "two scopes, one after the other", """
List<Object> loadContents(Content content) throws InterruptedException {
    List<Object> out = new ArrayList<>();
    for (var name : List.of("posts", "albums")) {
        try (var scope = StructuredTaskScope.open()) {
            var t = scope.fork(() -> content.fetch(name));
            scope.join();
            out.add(t.get());
        }
    }
    return out;
}""", line="both fetches overlap"),
    wrong("ex1", "get() before join()", """
List<Object> loadContents(Content content) throws InterruptedException {
    try (var scope = StructuredTaskScope.open()) {
        var posts = scope.fork(content::getPosts);
        var albums = scope.fork(content::getAlbums);
        var both = List.<Object>of(posts.get(), albums.get());
        scope.join();
        return both;
    }
}""", line="posts and albums come back"),
    wrong("ex1", "fork after join", """
List<Object> loadContents(Content content) throws InterruptedException {
    try (var scope = StructuredTaskScope.open()) {
        var posts = scope.fork(content::getPosts);
        scope.join();
        var albums = scope.fork(content::getAlbums);
        return List.of(posts.get(), albums.get());
    }
}""", line="posts and albums come back"),
    wrong("ex1", "a constant after a one-second nap", """
List<Object> loadContents(Content content) throws InterruptedException {
    Thread.sleep(1000);
    return List.of(List.of(new Post(1, "Lorem Ipsum")), List.of(new Album(1, "Mona Lisa")));
}""", line="both fetched from the content given, at once"),
    wrong("ex1", "its own content, not the one given", """
List<Object> loadContents(Content given) throws InterruptedException {
    var content = content();
    try (var scope = StructuredTaskScope.open()) {
        var posts = scope.fork(content::getPosts);
        var albums = scope.fork(content::getAlbums);
        scope.join();
        return List.of(posts.get(), albums.get());
    }
}""", line="both fetched from the content given, at once"),
    wrong("ex2", "subtasks that wait with CompletableFuture.join()", """
String firstShop(List<Callable<String>> shops, Duration limit) throws InterruptedException {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor();
         var scope = StructuredTaskScope.open(Joiner.<String>anySuccessfulResultOrThrow(),
                 config -> config.withTimeout(limit))) {
        for (var shop : shops) {
            var f = CompletableFuture.supplyAsync(() -> {
                try { return shop.call(); } catch (Exception e) { throw new CompletionException(e); } }, pool);
            scope.fork(() -> f.join());
        }
        return scope.join();
    } catch (StructuredTaskScope.TimeoutException e) {
        return "nothing";
    }
}""", line="nothing within 0.2 s, and back by about then"),
    wrong("ex2", "open() with no joiner, then the first success", """
String firstShop(List<Callable<String>> shops, Duration limit) throws InterruptedException {
    try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAllSuccessfulOrThrow(),
            config -> config.withTimeout(limit))) {
        var ts = shops.stream().map(scope::fork).toList();
        scope.join();
        return ts.stream().filter(t -> t.state() == Subtask.State.SUCCESS).map(t -> (String) t.get())
                 .findFirst().orElse("nothing");
    } catch (StructuredTaskScope.TimeoutException e) {
        return "nothing";
    }
}""", line="the faster shop wins"),
    wrong("ex2", "allSuccessfulOrThrow, then the first", """
String firstShop(List<Callable<String>> shops, Duration limit) throws InterruptedException {
    try (var scope = StructuredTaskScope.open(Joiner.<String>allSuccessfulOrThrow(),
            config -> config.withTimeout(limit))) {
        shops.forEach(scope::fork);
        return scope.join().map(Subtask::get).findFirst().orElse("nothing");
    } catch (StructuredTaskScope.TimeoutException e) {
        return "nothing";
    }
}""", line="the faster shop wins"),
    wrong("ex3", "allSuccessfulOrThrow", """
List<String> firstTwo(List<Callable<String>> shops) throws Exception {
    try (var scope = StructuredTaskScope.open(Joiner.<String>allSuccessfulOrThrow())) {
        shops.forEach(scope::fork);
        return scope.join().map(Subtask::get).limit(2).toList();
    }
}""", line="the first two successes, in finishing order"),
    wrong("ex3", "cancels at two, but reads the forks in order", """
List<String> firstTwo(List<Callable<String>> shops) throws Exception {
    class Two implements Joiner<String, Void> {
        final java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        public boolean onComplete(Subtask<? extends String> s) {
            return s.state() == Subtask.State.SUCCESS && n.incrementAndGet() >= 2;
        }
        public Void result() { return null; }
    }
    try (var scope = StructuredTaskScope.open(new Two())) {
        var ts = shops.stream().map(scope::fork).toList();
        scope.join();
        return ts.stream().filter(t -> t.state() == Subtask.State.SUCCESS).map(t -> (String) t.get()).toList();
    }
}""", line="the first two successes, in finishing order"),
    wrong("ex2", "anyOf on an executor nobody closes", """
String firstShop(List<Callable<String>> shops, Duration limit) throws InterruptedException {
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    var fs = shops.stream().map(s -> CompletableFuture.supplyAsync(
            () -> { try { return s.call(); } catch (Exception e) { throw new CompletionException(e); } },
            pool)).toArray(CompletableFuture[]::new);
    try { return (String) CompletableFuture.anyOf(fs).orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).join(); }
    catch (CompletionException e) { return "nothing"; }
}""", line="no shop is still running"),
    wrong("ex2", "null", """
String firstShop(List<Callable<String>> shops, Duration limit) throws InterruptedException {
    return null;
}""", line="the faster shop wins"),
    wrong("ex3", "awaitAll, then the first two", """
List<String> firstTwo(List<Callable<String>> shops) throws InterruptedException {
    try (var scope = StructuredTaskScope.open(Joiner.<String>awaitAll())) {
        var ts = shops.stream().map(scope::fork).toList();
        scope.join();
        return ts.stream().filter(t -> t.state() == StructuredTaskScope.Subtask.State.SUCCESS)
                 .map(t -> t.get()).limit(2).toList();
    }
}""", line="the rest is cancelled at once"),
]


RIGHT = [
    right("ex1", "allSuccessfulOrThrow", """
List<Object> loadContents(Content content) throws InterruptedException {
    try (var scope = StructuredTaskScope.open(Joiner.<Object>allSuccessfulOrThrow())) {
        scope.fork(() -> (Object) content.getPosts());
        scope.fork(() -> (Object) content.getAlbums());
        return scope.join().map(Subtask::get).toList();
    }
}"""),
    right("ex2", "the timeout caught inside the block", """
String firstShop(List<Callable<String>> shops, Duration limit) throws InterruptedException {
    try (var scope = StructuredTaskScope.open(Joiner.<String>anySuccessfulResultOrThrow(),
            config -> config.withTimeout(limit))) {
        shops.forEach(scope::fork);
        try {
            return scope.join();
        } catch (StructuredTaskScope.TimeoutException e) {
            return "nothing";
        }
    }
}"""),
    right("ex3", "a synchronized list", """
List<String> firstTwo(List<Callable<String>> shops) throws Exception {
    var done = Collections.synchronizedList(new ArrayList<String>());
    class Two implements Joiner<String, List<String>> {
        public boolean onComplete(Subtask<? extends String> s) {
            if (s.state() == Subtask.State.SUCCESS) done.add(s.get());
            return done.size() >= 2;
        }
        public List<String> result() {
            synchronized (done) { return List.copyOf(done.subList(0, Math.min(2, done.size()))); }
        }
    }
    try (var scope = StructuredTaskScope.open(new Two())) {
        for (var shop : shops) scope.fork(shop);
        return scope.join();
    }
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, keep=("String shop(", "StructuredTaskScope.Joiner;"), exercises=True)


def test_only_the_first_failure_reaches_the_caller(executed):
    nb = executed(LESSON)
    first = cell_with(nb, "the caller gets: ")
    assert "the caller gets: the fitting room is closed (suppressed: 0)" in first, first
    assert "the cafe subtask: UNAVAILABLE" in first, first
    every = cell_with(nb, "s.exception().getMessage()")
    assert "FAILED: the fitting room is closed" in every and "FAILED: the cafe is closed" in every, every
    assert "ExceptionGroup" in nbrun.prose(LESSON)


def test_a_subtask_waiting_in_join_outlives_the_deadline(executed):
    text = cell_with(executed(LESSON), 'time("waiting with get()"')
    assert nbrun.seconds(text, "waiting with get()") < 0.6, text
    assert nbrun.seconds(text, "waiting with join()") >= 0.95, text


def test_the_version_note_names_what_jdk_26_and_27_change():
    prose = nbrun.prose(LESSON)
    for words in ("JEP 525", "anySuccessfulOrThrow", "Joiner.onTimeout", "JEP 533", "ExecutionException",
                  "feature release it was compiled for"):
        assert words in prose, words
    assert "In lesson 05 a failed task left its siblings running" not in prose


def test_scoped_values_are_inherited_by_forked_subtasks(executed):
    text = nbrun.all_text(executed(LESSON))
    assert re.search(r"before: nobody\s+inside: Ann\s+after:  nobody", text)
    assert "Ann buys the console; Ann tries on a jacket" in text
    assert "an executor's thread sees: nobody" in text


def test_on_the_plain_kernel_the_learner_is_told_what_to_do():
    nb = on_the_plain_kernel()
    told = cell_with(nb, "Runtime.version().feature()")
    assert "preview features OFF" in told
    assert "Kernel → Change Kernel… → Java (preview features)" in told
    # Every StructuredTaskScope cell then stops with javac's own words, which the lesson quotes.
    failed = nbrun.cell_with(nb, 'timeline("fork, fork, join")')
    errors = [o for o in failed.outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "CompilationException"
    assert PREVIEW_ERROR in "\n".join(errors[0].traceback)
    prose = "\n".join(c.source for c in nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb").cells
                      if c.cell_type == "markdown")
    assert PREVIEW_ERROR in prose and "Java (preview features)" in prose


def test_scoped_values_need_no_preview_flag_on_java_25():
    nb = on_the_plain_kernel()
    text = cell_with(nb, "ScopedValue.newInstance()")
    assert re.search(r"before: nobody\s+inside: Ann\s+after:  nobody", text), text
