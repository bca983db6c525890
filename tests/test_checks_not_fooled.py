"""The check verbs, fed the wrong answers a learner will try, through the real Java kernel: each gets
exactly one ✘ line (no stack trace), the kernel keeps answering, and a later right answer still
gets ✔ in the same kernel (nothing the wrong answers left behind disturbs it). And fair: the right
answers get ✔ on one CPU that a CPU-bound neighbour keeps busy."""
import nbformat
import pytest

from course import kernel
from course import nbrun

pytestmark = [pytest.mark.kernel, pytest.mark.xdist_group("checks_not_fooled")]

SETUP = """import asynclab.*;
import java.time.Duration;
import java.util.*;
import java.util.function.*;
import org.junit.jupiter.api.*;
import static org.junit.jupiter.api.Assertions.*;
var errands = errands(Duration.ofMillis(300));
var stopSpinning = new java.util.concurrent.atomic.AtomicBoolean();
List<String> both(BiFunction<Supplier<String>, Supplier<String>, List<String>> answer) {
    return answer.apply(errands.supplier("posts"), errands.supplier("albums"));
}
List<Supplier<String>> pages(int n) {
    List<Supplier<String>> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add(errands.supplier("page " + i));
    return out;
}
List<String> gathered(Supplier<String> a, Supplier<String> b) {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var fa = CompletableFuture.supplyAsync(a, pool);
        var fb = CompletableFuture.supplyAsync(b, pool);
        return List.of(fa.join(), fb.join());
    }
}
Subject<IntUnaryOperator> doubler = subject((IntUnaryOperator) x -> x * 2).broken("adds two", x -> x + 2);
class DoublerTest {
    @Test void doubles() { assertEquals(10, doubler.get().applyAsInt(5)); }
}
class EmptyTest {
    @Test void nothing() { }
}
"""

RIGHT = 'check("right").runsAtOnce(errands, List.of("posts", "albums"), () -> both((a, b) -> gathered(a, b)));'

# (what the learner got wrong, the check cell, a word the ✘ line must contain)
WRONG = [
    ("sequential", 'check("at once").runsAtOnce(errands, () -> both((a, b) -> List.of(a.get(), b.get())));',
     "one after the other"),
    ("common pool for blocking work", """check("at once").runsAtOnce(errands, () -> both((a, b) -> {
    var fa = CompletableFuture.supplyAsync(a);
    var fb = CompletableFuture.supplyAsync(b);
    return List.of(fa.join(), fb.join());
}));""", "common pool"),
    ("join inside the loop", """check("at once").runsAtOnce(errands, () -> both((a, b) -> {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<String> out = new ArrayList<>();
        for (var f : List.of(a, b)) out.add(CompletableFuture.supplyAsync(f, pool).join());
        return out;
    }
}));""", "one after the other"),
    ("tasks left running after it returns", """check("at once").runsAtOnce(errands, () -> both((a, b) -> {
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    pool.submit(a::get);
    pool.submit(b::get);
    return List.of("posts", "albums");
}));""", "not finished when the answer returned"),
    ("timeout without cancelling", """check("gives up").cancels(errands, "gave up", () -> {
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    Future<String> f = pool.submit(errands.supplier("posts")::get);
    try { return f.get(50, TimeUnit.MILLISECONDS); } catch (TimeoutException e) { return "gave up"; }
});""", "had not been interrupted"),
    ("orTimeout, which does not interrupt", """check("gives up").cancels(errands, "gave up", () -> {
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    var f = CompletableFuture.supplyAsync(errands.supplier("posts"), pool).orTimeout(50, TimeUnit.MILLISECONDS);
    try { return f.join(); } catch (CompletionException e) { f.cancel(true); return "gave up"; }
});""", "not finished"),
    ("no cap", """check("two at a time").capsAt(2, errands, () -> {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var fs = pages(6).stream().map(p -> CompletableFuture.supplyAsync(p, pool)).toList();
        fs.forEach(CompletableFuture::join);
    }
});""", "6 ran at once"),
    ("a test that asserts nothing", 'check("your test catches bugs").catchesBugs(doubler, EmptyTest.class);',
     "never called its get()"),
    ("a hang", """check("at once").within(Duration.ofSeconds(1)).runsAtOnce(errands, () -> both((a, b) -> {
    try { Thread.sleep(60_000); } catch (InterruptedException e) { throw new CancellationException(); }
    return null;
}));""", "still running after 1 s (it has been stopped)"),
    ("ignores interrupts", """check("at once").within(Duration.ofSeconds(1)).runsAtOnce(errands, () -> {
    while (!stopSpinning.get()) Thread.onSpinWait();
});""", "Kernel → Restart"),
    ("throws", """check("at once").runsAtOnce(errands, () -> both((a, b) -> {
    throw new IllegalStateException("no network");
}));""", "threw IllegalStateException: no network"),
    ("the stub", """check("at once").runsAtOnce(errands, () -> both((a, b) -> {
    throw new UnsupportedOperationException("your turn");
}));""", "not answered yet"),
    ("returns null", 'check("at once").runsAtOnce(errands, List.of("posts", "albums"), () -> both((a, b) -> null));',
     "got null"),
]


@pytest.fixture(scope="module")
def k():
    with kernel.session() as s:
        setup = s.run(SETUP)
        assert setup["errors"] == [], setup
        first = s.run(RIGHT)
        assert first["text"].startswith("✔ right"), first
        yield s
        s.run("stopSpinning.set(true);")


@pytest.mark.parametrize("case", WRONG, ids=[w[0] for w in WRONG])
def test_a_wrong_answer_gets_one_cross_line(k, case):
    _, cell, word = case
    out = k.run(cell, timeout=60)
    lines = out["text"].splitlines()
    assert out["errors"] == [] and len(lines) == 1 and lines[0].startswith("✘ "), out
    assert word in lines[0], lines[0]
    if "stopSpinning" in cell:
        k.run("stopSpinning.set(true);")


def test_the_right_answers_still_pass_afterwards(k):
    again = k.run(RIGHT + "\n" + 'check("your test catches bugs").catchesBugs(doubler, DoublerTest.class);')
    assert again["errors"] == [], again
    lines = again["text"].splitlines()
    assert len(lines) == 2 and all(line.startswith("✔ ") for line in lines), again
    assert k.run("1 + 1")["text"] == "2", "the kernel still answers"


RIGHT_ANSWERS = [
    RIGHT,
    'check("in turn").runsOneAtATime(errands, () -> both((a, b) -> List.of(a.get(), b.get())));',
    """check("two at a time").capsAt(2, errands, () -> {
    try (var pool = Executors.newFixedThreadPool(2)) {
        var fs = pages(6).stream().map(p -> CompletableFuture.supplyAsync(p, pool)).toList();
        fs.forEach(CompletableFuture::join);
    }
});""",
    """check("gives up").cancels(errands, "gave up", () -> {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<String> f = pool.submit(errands.supplier("posts")::get);
        try { return f.get(50, TimeUnit.MILLISECONDS); }
        catch (TimeoutException e) { f.cancel(true); return "gave up"; }
    }
});""",
    'check("your test catches bugs").catchesBugs(doubler, DoublerTest.class);',
]


def test_right_answers_pass_on_one_busy_cpu():
    cells = ["%classpath ../lib/*.jar\nimport static asynclab.Lab.*;\nimport java.util.concurrent.*;", SETUP]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells + RIGHT_ANSWERS],
                                  metadata={"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}})
    done = nbrun.execute(nb, cwd=nbrun.NOTEBOOKS, one_cpu=True)
    assert nbrun.errors(done) == []
    lines = [nbrun.text_of(c).strip() for c in done.cells[len(cells):]]
    assert all(line.startswith("✔ ") and "\n" not in line for line in lines), lines
    assert done.metadata["stray_threads"] == "[]"


def test_one_busy_cpu_is_one_cpu_shared_with_a_busy_neighbour_from_the_exercises_on():
    """nbrun.one_busy_cpu does what the solutions' runs claim: before `## Exercises` the kernel is
    unpinned (sized for one CPU), from there on pinned to one CPU that a neighbour keeps busy."""
    probe = """var cpus = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))
    .stream().filter(l -> l.startsWith("Cpus_allowed_list")).findFirst().orElseThrow();
var bean = java.lang.management.ManagementFactory.getThreadMXBean();
long cpu0 = bean.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
while (System.nanoTime() - wall0 < 300_000_000L) { }
double share = (bean.getCurrentThreadCpuTime() - cpu0) / (double) (System.nanoTime() - wall0);
System.out.printf("%d %s %.2f%n", Runtime.getRuntime().availableProcessors(), cpus.split("\\\\s+")[1], share);"""
    new = nbformat.v4
    nb = new.new_notebook(cells=[new.new_code_cell(probe), new.new_markdown_cell("## Exercises"),
                                 new.new_code_cell(probe)],
                          metadata={"kernelspec": {"name": "java", "display_name": "Java", "language": "java"}})
    done = nbrun.execute(nb, cwd=nbrun.NOTEBOOKS, one_cpu=True)
    before, after = (nbrun.text_of(c).split() for c in nbrun.code_cells(done))
    ours = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("Cpus_allowed_list"))
    assert before[:2] == ["1", ours] and after[:2] == ["1", "0"], (before, after)
    assert float(after[2]) < 0.8, f"the kernel had its CPU to itself: {after}"
