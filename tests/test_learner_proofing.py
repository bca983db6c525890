"""What learners do to a kernel: interrupt cells, give wrong or hanging answers, re-run cells."""
import time

import pytest

from course import kernel

pytestmark = pytest.mark.kernel

SLEEPERS = """try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
    for (int i = 0; i < 3; i++) {
        int n = i;
        pool.submit(() -> {
            try { Thread.sleep(4000); System.out.println("task " + n + " finished late"); }
            catch (InterruptedException e) { stopped.incrementAndGet(); }
        });
    }
}"""


def test_an_interrupted_cell_stops_its_tasks_and_nothing_prints_later():
    with kernel.session() as k:
        k.run("var stopped = new java.util.concurrent.atomic.AtomicInteger();")
        cell = k.run(SLEEPERS, interrupt_after=1.0)
        assert cell["seconds"] < 3.5, "the interrupt did not stop the cell"
        assert any("interrupted" in e.lower() for e in cell["errors"]), cell["errors"]
        assert "finished late" not in cell["text"]
        time.sleep(0.5)
        assert k.run("stopped.get()")["text"] == "3", "every task was interrupted"
        time.sleep(4)  # past the moment the tasks would have finished
        after = k.run('System.out.println("next cell");')
        assert after["text"] == "next cell\n" and after["foreign"] == "", after


def test_the_kernel_keeps_working_after_an_error():
    with kernel.session() as k:
        failed = k.run('throw new IllegalStateException("a learner mistake");')
        assert failed["errors"]
        assert k.run("1 + 1")["text"] == "2"


def test_a_class_declared_twice_is_simply_replaced():
    with kernel.session() as k:
        k.run('record Errand(String name) {}')
        again = k.run('record Errand(String name, int minutes) {}\nnew Errand("cafe", 20)')
        assert again["errors"] == [] and "cafe" in again["text"], again


def test_wrong_broken_and_hanging_answers_get_one_kind_line_each():
    answers = {
        "wrong": "() -> 41",
        "null": "() -> null",
        "throws": '() -> { throw new IllegalStateException("oops"); }',
        "hangs": "() -> { Thread.sleep(60_000); return 42; }",
    }
    with kernel.session() as k:
        k.run("var threadsBefore = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());")
        for name, answer in answers.items():
            cell = k.run(f'check("{name}").hint("think again").within(java.time.Duration.ofSeconds(2))'
                         f'.expect(42, {answer});', timeout=30)
            lines = cell["text"].strip().splitlines()
            assert cell["errors"] == [] and len(lines) == 1, cell
            assert lines[0].startswith("✘") and "think again" in lines[0], lines
            assert cell["seconds"] < 6, f"{name}: the check took {cell['seconds']:.1f} s"
        right = k.run('check("right").expect(42, () -> 42);')
        assert right["text"].startswith("✔"), right
        threads = k.run("Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon()"
                        " && !threadsBefore.contains(t) && !t.getName().startsWith(\"jjava\")).toList()")
        assert threads["text"] == "[]", threads


def test_a_lesson_run_without_its_setup_cell_names_the_missing_piece():
    with kernel.session(setup=False) as k:
        cell = k.run("time(() -> Thread.sleep(10));")
        assert cell["errors"], cell
        assert "time" in cell["errors"][0]
