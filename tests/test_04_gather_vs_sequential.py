"""Lesson 04, the guide's Content example loaded gathered, as tasks and one after the other."""

import pytest

from course import nbrun
from course.wronganswers import assert_judged, right, run, wrong

LESSON = "04-gather-vs-sequential"
LINE = nbrun.TIME_LINE


@pytest.mark.kernel
def test_the_lesson_prints_the_guides_timing_lines(executed):
    nb = executed(LESSON)
    assert len(nbrun.times(nb)) >= 6, nbrun.all_text(nb)
    text = nbrun.all_text(nb)
    assert "[Post[id=1, title=Lorem Ipsum]]" in text and "[Album[id=1, title=Mona Lisa]]" in text


@pytest.mark.kernel
def test_app_prints_exactly_the_guides_three_lines(executed):
    cells = nbrun.tagged(executed(LESSON), "app")
    assert len(cells) == 1, "exactly one cell is tagged app"
    lines = nbrun.text_of(cells[0]).strip().splitlines()
    assert len(lines) == 3, lines
    assert all(LINE.fullmatch(line) for line in lines), lines
    gathered, tasks, sequential = (float(LINE.fullmatch(line).group(1)) for line in lines)
    assert 0.9 <= gathered <= 1.6, lines
    assert 0.9 <= tasks <= 1.6, lines
    assert 1.9 <= sequential <= 2.9, lines


@pytest.mark.kernel
def test_the_three_loads_are_drawn_on_one_chart(executed):
    nb = executed(LESSON)
    drawn = nbrun.drawings(nb)
    assert drawn, "no timeline was drawn"
    assert any("gathered" in p and "tasks from names" in p and "one after the other" in p for p in drawn)


def test_the_common_pool_story_is_told_once_in_lesson_03_and_recalled_here():
    prose = nbrun.prose(LESSON)
    assert "lesson 03 showed" in prose and "common pool parallelism" not in prose


def test_the_lesson_has_its_title():
    assert "# 04 · Gather vs sequential" in nbrun.prose(LESSON)


def test_content_is_declared_once():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    classes = [c.source for c in nbrun.code_cells(nb) if c.source.startswith("class Content ")]
    assert len(classes) == 1, "Content is declared once"


def test_an_interrupt_is_not_turned_into_a_cancellation():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    content = next(c.source for c in nbrun.code_cells(nb) if c.source.startswith("void fakeFetch("))
    assert "CancellationException" not in content
    assert "Thread.currentThread().interrupt();" in content


def test_no_figure_in_prose_before_the_code_prints_it():
    assert "With a parallelism of 1 that took about two seconds" not in nbrun.prose(LESSON)


WRONG = [
    wrong("ex1", "one after the other", """
List<Object> gatherThree(Supplier<?> first, Supplier<?> second, Supplier<?> third) {
    return List.of(first.get(), second.get(), third.get());
}"""),
    wrong("ex1", "join before the next starts", """
List<Object> gatherThree(Supplier<?> first, Supplier<?> second, Supplier<?> third) {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        var a = CompletableFuture.supplyAsync(first, errands).join();
        var b = CompletableFuture.supplyAsync(second, errands).join();
        return List.of(a, b, CompletableFuture.supplyAsync(third, errands).join());
    }
}"""),
    wrong("ex1", "the common pool", """
List<Object> gatherThree(Supplier<?> first, Supplier<?> second, Supplier<?> third) {
    var a = CompletableFuture.supplyAsync(first);
    var b = CompletableFuture.supplyAsync(second);
    var c = CompletableFuture.supplyAsync(third);
    return List.of(a.join(), b.join(), c.join());
}"""),
    wrong("ex1", "a task left running", """
List<Object> gatherThree(Supplier<?> first, Supplier<?> second, Supplier<?> third) {
    var errands = Executors.newVirtualThreadPerTaskExecutor();
    var a = CompletableFuture.supplyAsync(first, errands);
    var b = CompletableFuture.supplyAsync(second, errands);
    var c = CompletableFuture.supplyAsync(third, errands);
    var results = List.of(a.join(), b.join(), c.join());
    CompletableFuture.supplyAsync(first, errands);   // once more, unawaited
    return results;
}"""),
    wrong("ex2", "the bug left in", """
List<Object> loadByName(List<String> names, Function<String, Supplier<?>> lookup) {
    List<CompletableFuture<?>> tasks = new ArrayList<>();
    for (String name : names) tasks.add(CompletableFuture.supplyAsync(lookup.apply(name)));
    return tasks.stream().map(task -> (Object) task.join()).toList();
}"""),
    wrong("ex2", "join inside the loop", """
List<Object> loadByName(List<String> names, Function<String, Supplier<?>> lookup) {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Object> out = new ArrayList<>();
        for (String name : names) {
            out.add(CompletableFuture.supplyAsync(lookup.apply(name), errands).join());
        }
        return out;
    }
}"""),
    wrong("ex2", "two platform threads", """
List<Object> loadByName(List<String> names, Function<String, Supplier<?>> lookup) {
    try (var errands = Executors.newFixedThreadPool(2)) {
        List<CompletableFuture<?>> tasks = new ArrayList<>();
        for (String name : names) tasks.add(CompletableFuture.supplyAsync(lookup.apply(name), errands));
        return tasks.stream().map(task -> (Object) task.join()).toList();
    }
}"""),
    wrong("ex3", "no cap", """
List<Object> loadTwoAtATime(List<String> names, Function<String, Supplier<?>> lookup) {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<?>> tasks = new ArrayList<>();
        for (String name : names) tasks.add(CompletableFuture.supplyAsync(lookup.apply(name), errands));
        return tasks.stream().map(task -> (Object) task.join()).toList();
    }
}"""),
    wrong("ex3", "one at a time", """
List<Object> loadTwoAtATime(List<String> names, Function<String, Supplier<?>> lookup) {
    return names.stream().map(name -> (Object) lookup.apply(name).get()).toList();
}"""),
    wrong("ex3", "the common pool", """
List<Object> loadTwoAtATime(List<String> names, Function<String, Supplier<?>> lookup) {
    List<CompletableFuture<?>> tasks = new ArrayList<>();
    for (String name : names) tasks.add(CompletableFuture.supplyAsync(lookup.apply(name)));
    return tasks.stream().map(task -> (Object) task.join()).toList();
}"""),
]


# Right answers written another way than the worked ones: only ✔.
RIGHT = [
    right("ex1", "right: a cached platform pool", """
List<Object> gatherThree(Supplier<?> first, Supplier<?> second, Supplier<?> third) {
    try (var errands = Executors.newCachedThreadPool()) {
        var a = CompletableFuture.supplyAsync(first, errands);
        var b = CompletableFuture.supplyAsync(second, errands);
        var c = CompletableFuture.supplyAsync(third, errands);
        return List.of(a.join(), b.join(), c.join());
    }
}"""),
    right("ex1", "right: invokeAll", """
List<Object> gatherThree(Supplier<?> first, Supplier<?> second, Supplier<?> third) {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Callable<Object>> tasks = List.of(first::get, second::get, third::get);
        List<Object> out = new ArrayList<>();
        for (var f : errands.invokeAll(tasks)) {
            try { out.add(f.get(2, TimeUnit.SECONDS)); } catch (Exception e) { throw new IllegalStateException(e); }
        }
        return out;
    } catch (InterruptedException e) { throw new IllegalStateException(e); }
}"""),
    right("ex2", "right: futures on virtual threads", """
List<Object> loadByName(List<String> names, Function<String, Supplier<?>> lookup) {
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> tasks = new ArrayList<>();
        for (String name : names) { Supplier<?> s = lookup.apply(name); tasks.add(errands.submit(s::get)); }
        List<Object> out = new ArrayList<>();
        for (var t : tasks) {
            try { out.add(t.get(2, TimeUnit.SECONDS)); } catch (Exception e) { throw new IllegalStateException(e); }
        }
        return out;
    }
}"""),
    right("ex3", "right: a semaphore on virtual threads", """
List<Object> loadTwoAtATime(List<String> names, Function<String, Supplier<?>> lookup) {
    var two = new Semaphore(2);
    try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
        List<CompletableFuture<?>> tasks = new ArrayList<>();
        for (String name : names) tasks.add(CompletableFuture.supplyAsync(() -> {
            two.acquireUninterruptibly();
            try { return lookup.apply(name).get(); } finally { two.release(); }
        }, errands));
        return tasks.stream().map(task -> (Object) task.join()).toList();
    }
}"""),
]


@pytest.mark.kernel
def test_wrong_answers_get_a_cross_and_right_ones_written_another_way_a_tick():
    assert_judged(run(LESSON, WRONG + RIGHT), WRONG + RIGHT)
    for exercise in {a.exercise for a in WRONG}:
        assert sum(a.exercise == exercise for a in WRONG) >= 3, f"{exercise}: three wrong answers"


def test_the_guides_python_stands_beside_the_java():
    prose = nbrun.prose(LESSON)
    for python in ("class Content:", "asyncio.gather(self.get_posts(), self.get_albums())",
                   'getattr(self, f"get_{name}")', "await self.get_posts()\n    await self.get_albums()",
                   "asyncio.run(app())"):
        assert python in prose, python
    code = nbrun.cell_with(nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb"), "errands.invokeAll(tasks)").source
    assert "for (Future<List<?>> done : errands.invokeAll(tasks))" in code and "done.get(1, TimeUnit.SECONDS)" in code
