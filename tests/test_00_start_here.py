"""Lesson 00, start here: plausible wrong answers to its exercises get ✘ from the checks.

One extra notebook run: the lesson's setup cell, then for each wrong answer the answer cell
(JShell replaces the method each time) and a copy of that exercise's check cell.
"""
import nbformat

import nbrun

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


def wrong_answers_notebook(lesson, wrong, keep=()):
    """The lesson's setup cell and cells containing any of `keep`, then per wrong answer: a
    marker line, the answer, and the exercise's check cell."""
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{lesson}.ipynb")
    checks = {c.metadata.get("exercise"): c.source for c in nbrun.tagged(nb, "check")}
    cells = [c for c in nb.cells if c.cell_type == "code"
             and ("setup" in c.metadata.get("tags", []) or any(k in c.source for k in keep))]
    for exercise, answers in wrong.items():
        for name, answer in answers.items():
            cells.append(nbformat.v4.new_code_cell(f'System.out.println("# {exercise}: {name}");'))
            cells.append(nbformat.v4.new_code_cell(answer.strip()))
            cells.append(nbformat.v4.new_code_cell(checks[exercise]))
    nb.cells = cells
    return nbrun.execute(nb, cwd=nbrun.NOTEBOOKS)


def verdicts_by_answer(nb):
    """{"ex2: one after the other": "✘ …"} from a run of wrong_answers_notebook."""
    found, current = {}, None
    for cell in nbrun.code_cells(nb):
        text = nbrun.text_of(cell).strip()
        if text.startswith("# "):
            current = text[2:]
        elif current and ("✔" in text or "✘" in text):
            found[current] = text
            current = None
    return found


def test_wrong_answers_get_a_cross():
    nb = wrong_answers_notebook(LESSON, WRONG)
    assert nbrun.errors(nb) == [], nbrun.errors(nb)
    seen = verdicts_by_answer(nb)
    for exercise, answers in WRONG.items():
        for name in answers:
            text = seen.get(f"{exercise}: {name}")
            assert text is not None, f"{exercise}: {name}: no verdict in {seen}"
            assert "✘" in text, f"{exercise}: {name} passed: {text}"
            assert all(line[:1] in "✔✘" for line in text.splitlines()), text
