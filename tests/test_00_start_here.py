"""Lesson 00, start here: plausible wrong answers to its exercises get ✘ from the checks.

One extra notebook run: the lesson's setup cell, then for each wrong answer the answer cell
(JShell replaces the method each time) and a copy of that exercise's check cell.
"""
import pytest

from course.wronganswers import assert_all_crossed, wrong_answers_notebook

pytestmark = pytest.mark.kernel

LESSON = "00-start-here"

WRONG = {
    "ex2": {
        "the original bug: futures never read": """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        mall.submit(console);
        mall.submit(outfit);
    }
    return "all done";
}""",
        "one after the other": """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    return console.call() + ", " + outfit.call();
}""",
        "get inside each submit": """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        String a = mall.submit(console).get(5, TimeUnit.SECONDS);
        return a + ", " + mall.submit(outfit).get(5, TimeUnit.SECONDS);
    }
}""",
        "failure caught and hidden": """
String shop(Callable<String> console, Callable<String> outfit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = mall.submit(console);
        var b = mall.submit(outfit);
        try { return a.get() + ", " + b.get(); }
        catch (ExecutionException e) { return "all done"; }
    }
}""",
    },
    "ex3": {
        "timeout without cancel": """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var result = mall.submit(errand);
        try { return result.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { return "gave up"; }
    }
}""",
        "timeout, errand left running": """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    var result = Executors.newVirtualThreadPerTaskExecutor().submit(errand);
    try { return result.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
    catch (TimeoutException e) { return "gave up"; }
}""",
        "cancel(false)": """
String shopWithin(Callable<String> errand, Duration limit) throws Exception {
    try (var mall = Executors.newVirtualThreadPerTaskExecutor()) {
        var result = mall.submit(errand);
        try { return result.get(limit.toMillis(), TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { result.cancel(false); return "gave up"; }
    }
}""",
    },
}


def test_wrong_answers_get_a_cross():
    assert_all_crossed(wrong_answers_notebook(LESSON, WRONG), WRONG)
