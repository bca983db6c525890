"""Lesson 00, start here: plausible wrong answers to its exercises get ✘ from the checks.

One extra notebook run: the lesson's setup cell, then for each wrong answer the answer cell
(JShell replaces the method each time) and a copy of that exercise's check cell.
"""
import pytest

from course.wronganswers import judging, right, wrong

pytestmark = pytest.mark.kernel

LESSON = "00-start-here"

WRONG = [
    wrong("ex1", "a constant: right on one JDK only", """
int javaFeature(Runtime.Version version) { return 25; }"""),
    wrong("ex1", "the running Java, not the one given", """
int javaFeature(Runtime.Version version) { return Runtime.version().feature(); }"""),
    wrong("ex1", "the interim number", """
int javaFeature(Runtime.Version version) { return version.interim(); }"""),
    wrong("ex2", "the original bug: futures never read", """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        mall.submit(console);
        mall.submit(outfit);
    }
    return "all done";
}"""),
    wrong("ex2", "one after the other", """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    return console.call() + ", " + outfit.call();
}"""),
    wrong("ex2", "get inside each submit", """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        String a = mall.submit(console).get(5, TimeUnit.SECONDS);
        return a + ", " + mall.submit(outfit).get(5, TimeUnit.SECONDS);
    }
}"""),
    wrong("ex2", "failure caught and hidden", """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = mall.submit(console);
        var b = mall.submit(outfit);
        try { return a.get() + ", " + b.get(); }
        catch (ExecutionException e) { return "all done"; }
    }
}"""),
    wrong("ex2", "failure caught, its message returned", """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = mall.submit(console);
        var b = mall.submit(outfit);
        try { return a.get(5, TimeUnit.SECONDS) + ", " + b.get(5, TimeUnit.SECONDS); }
        catch (ExecutionException e) { return e.getMessage(); }
    }
}"""),
    wrong("ex3", "timeout without cancel", """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var result = mall.submit(errand);
        try { return result.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { return "gave up"; }
    }
}"""),
    wrong("ex3", "timeout, errand left running", """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    var result = Executors.newVirtualThreadPerTaskExecutor().submit(errand);
    try { return result.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
    catch (TimeoutException e) { return "gave up"; }
}"""),
    wrong("ex3", "cancel(false)", """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var result = mall.submit(errand);
        try { return result.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { result.cancel(false); return "gave up"; }
    }
}"""),
]

# right answers written another way than the worked one: each gets only ✔
RIGHT = [
    right("ex1", "the first number of the version", """
int javaFeature(Runtime.Version version) { return version.version().get(0); }"""),
    right("ex2", "invokeAll, then get each", """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var both = mall.invokeAll(List.of(console, outfit));
        return both.get(0).get(5, TimeUnit.SECONDS) + ", " + both.get(1).get(5, TimeUnit.SECONDS);
    }
}"""),
    right("ex3", "a virtual thread of its own, interrupted and joined", """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    var task = new FutureTask<>(errand);
    Thread shopper = Thread.ofVirtual().start(task);
    try { return task.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
    catch (TimeoutException e) {
        shopper.interrupt();
        shopper.join(Duration.ofSeconds(2));
        return "gave up";
    }
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT)


