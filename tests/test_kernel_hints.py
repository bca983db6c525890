"""One hint line under the compile errors a Python developer meets first (kernel/java/asynclab/kernel/Hints.java).

Each mistake is compiled by the course's own Java kernel. The hint comes after JShell's message
(which stays, highlight and all), names the lesson that teaches the point, and appears only for
errors it knows.
"""
import pytest

from course import kernel
from test_kernel_definitions import run

pytestmark = pytest.mark.kernel

SETUP = "import java.util.concurrent.*;\nvar errands = Executors.newVirtualThreadPerTaskExecutor();"


@pytest.fixture(scope="module")
def java():
    with kernel.session(setup=False) as s:
        assert run(s, SETUP)["ename"] is None
        yield s


def hint_of(cell: dict, message: str) -> str:
    """The hint line of a failed cell, checked to come after JShell's own message."""
    assert cell["ename"] == "CompilationException", cell
    lines = cell["traceback"].splitlines()
    hints = [i for i, line in enumerate(lines) if line.startswith("hint: ")]
    assert len(hints) == 1, f"expected one hint line:\n{cell['traceback']}"
    said = [i for i, line in enumerate(lines) if message in line]
    assert said and said[0] < hints[0], f"JShell's message {message!r} is not above the hint:\n{cell['traceback']}"
    assert message in cell["evalue"], cell["evalue"]
    return lines[hints[0]]


UNREPORTED = "unreported exception java.lang.InterruptedException; must be caught or declared to be thrown"


@pytest.mark.parametrize("code, advice", [
    ("errands.submit(() -> Thread.sleep(100));", "submit then takes it as a Callable, which may throw"),
    ("errands.submit(() -> { Thread.sleep(100); });", "submit then takes it as a Callable, which may throw"),
    ("CompletableFuture.runAsync(() -> Thread.sleep(100), errands);", "Thread.currentThread().interrupt()"),
])
def test_interrupted_exception_in_a_runnable_given_to_submit_or_run_async(java, code, advice):
    hint = hint_of(run(java, code), UNREPORTED)
    assert "is a Runnable, whose run() may not throw InterruptedException: catch it inside the lambda" in hint, hint
    assert advice in hint and hint.endswith("lesson 02 · Threads and executors"), hint


def test_a_reassigned_local_captured_by_a_lambda(java):
    cell = run(java, "void count() {\n    int done = 0;\n    done++;\n"
                     "    errands.submit(() -> System.out.println(done));\n}")
    hint = hint_of(cell, "local variables referenced from a lambda expression must be final or effectively final")
    assert "never reassigned (done is)" in hint and "AtomicInteger" in hint, hint
    assert hint.endswith("lesson 08 · Shared state"), hint


def test_a_method_reference_that_fits_both_runnable_and_callable(java):
    assert run(java, "class Till { int scan() { return 1; } int scan(int n) { return n; } }\n"
                     "var till = new Till();")["ename"] is None
    hint = hint_of(run(java, "errands.submit(till::scan);"), "reference to submit is ambiguous")
    assert "both a Callable" in hint and "Runnable" in hint and hint.endswith("lesson 02 · Threads and executors"), hint


@pytest.mark.parametrize("code", [
    'CompletableFuture.supplyAsync(() -> java.nio.file.Files.readString(java.nio.file.Path.of("x")), errands);',
    "CompletableFuture.completedFuture(1).thenApply(n -> {\n"
    "    if (n > 0) { throw new java.io.IOException(\"no\"); }\n    return n;\n});",
])
def test_a_checked_exception_in_a_completable_future_stage(java, code):
    hint = hint_of(run(java, code), "unreported exception java.io.IOException; must be caught or declared to be thrown")
    assert "a CompletableFuture stage" in hint and "CompletionException" in hint, hint
    assert hint.endswith("lesson 05 · When things go wrong"), hint


def test_a_helper_method_without_throws(java):
    cell = run(java, 'String fetchPosts() {\n    Thread.sleep(100);\n    return "posts";\n}')
    hint = hint_of(cell, UNREPORTED)
    assert "fetchPosts() calls code that throws InterruptedException" in hint, hint
    assert "fetchPosts() throws InterruptedException" in hint and hint.endswith("lesson 06 · Timeouts, cancellation and races"), hint


def test_a_type_never_imported(java):
    hint = hint_of(run(java, "var lock = new ReentrantLock();"),
                   "cannot find symbol")
    assert "ReentrantLock is not imported" in hint and "import java.util.concurrent.locks.ReentrantLock;" in hint, hint


@pytest.mark.parametrize("code, message", [
    ('int n = "text";', "incompatible types: java.lang.String cannot be converted to int"),
    ("errands.submit(() -> { throw new Exception(); }).get(1, TimeUnit.SECONDS)", None),
    ("String s = 5;", "incompatible types: int cannot be converted to java.lang.String"),
    ("notAMethodAnywhere();", "cannot find symbol"),
])
def test_errors_it_does_not_know_get_no_hint(java, code, message):
    cell = run(java, code)
    assert "hint:" not in cell["traceback"], cell["traceback"]
    if message:
        assert cell["ename"] == "CompilationException" and cell["evalue"].startswith(message), cell
