"""Lesson 09, scale: what a learner must see when it runs top to bottom (with the default sizes)."""
import math
import re

import pytest

from course import nbrun
from course.nbrun import output_of as cell_with
from course.wronganswers import judging, right, wrong

pytestmark = pytest.mark.kernel

LESSON = "09-scale"
SWEEP_LINE = re.compile(r"^(.+?)\s+([\d,]+) tasks:\s+(\d+\.\d\d) s \(\+?-?\d+\.\d\d s over the floor\)$", re.M)


def sweeps(text: str) -> dict[str, dict[int, float]]:
    found: dict[str, dict[int, float]] = {}
    for way, n, seconds in SWEEP_LINE.findall(text):
        found.setdefault(way.strip(), {})[int(n.replace(",", ""))] = float(seconds)
    return found


def cores(text: str) -> int:
    found = re.search(r"^(\d+) cores; crowds of 1 to 10,000 shoppers$", text, re.M)
    assert found, "the first cell should print the cores and the default crowd size"
    return int(found.group(1))


def test_the_floor_is_one_fetch(executed):
    floor = nbrun.times(executed(LESSON))[0]
    assert 0.95 <= floor < 1.5, floor


def test_a_pool_of_one_thread_per_core_works_in_waves(executed):
    text = nbrun.all_text(executed(LESSON))
    found = re.search(r"6 fetches, a fixed pool of (\d+) platform threads — total (\d+\.\d\d) s", text)
    assert found, "no timeline of the six fetches on the small pool"
    threads, total = int(found.group(1)), float(found.group(2))
    assert threads == cores(text)
    waves = math.ceil(6 / threads)
    assert waves - 0.05 <= total < waves + 1.0, (threads, total)


def test_each_way_is_swept_and_pools_are_capped(executed):
    found = sweeps(nbrun.all_text(executed(LESSON)))
    pool = found["fixed pool, 500 platform threads"]
    virtual = found["virtual threads, one per task"]
    timer = found["CompletableFuture + delayedExecutor"]
    assert sorted(pool) == [10, 100, 1_000], "the large pool is capped at 1,000 tasks"
    assert sorted(virtual) == sorted(timer) == [10, 100, 1_000, 10_000]
    assert all(0.95 <= s < 1.8 for s in (*virtual.values(), *timer.values())), (virtual, timer)
    assert 1.95 <= pool[1_000] < 3.5, pool
    assert all(0.95 <= pool[n] < 1.8 for n in (10, 100)), pool


def test_timelines_and_chart_are_drawn(executed):
    nb = executed(LESSON)
    svgs = [s for s in nbrun.rich_outputs(nb, "image/svg+xml") if "<svg" in s]
    assert any("300 fetches, a pool of 100 platform threads" in s and "one virtual thread each" in s for s in svgs)
    assert any("more tasks" in s for s in svgs), "the 300-task timelines should be summarised"
    chart = [s for s in svgs if "log scale" in s]
    assert chart, "no chart with a logarithmic x axis"
    for name in ("pool of 500", "virtual threads", "delayedExecutor", "floor, 1 s"):
        assert name in chart[0], name


def test_the_lesson_prints_the_benchmarks_it_quotes(executed):
    prose = nbrun.prose(LESSON)
    assert "# 09 · Scale" in prose
    for words in ("floor", "100,000", "1,000,000", "bench/results.md", "**Prerequisites:**", "**Time:**"):
        assert words in prose, words
    assert "BENCH_" not in prose, "a benchmark figure was left as a placeholder"
    assert not re.search(r"\d\.\d+ s (on|with)", prose), "figures in prose come from a cell that prints them"
    printed = cell_with(executed(LESSON), 'Path.of(dir, "results.md")')
    assert re.search(r"^\| 1,000,000 \| virtual threads in the Java kernel \|.*\| \d+ \|$", printed, re.M), printed
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    sizes = [c.source for c in nbrun.code_cells(nb) if "int biggest" in c.source]
    assert len(sizes) == 1 and "int biggest = 10_000;" in sizes[0], "one cell sets the default sizes"


def test_every_check_fails_kindly_on_the_stubs(executed):
    nb = executed(LESSON)
    assert nbrun.errors(nb) == []
    checks = nbrun.tagged(nb, "check")
    assert len(checks) >= 2
    for cell in checks:
        out = nbrun.text_of(cell)
        assert "✘" in out and "✔" not in out, out
    text = nbrun.all_text(nb)
    assert "\tat " not in text and "Exception in thread" not in text, "a stack trace reached the learner"


def test_this_jdk_says_where_default_async_work_runs(executed):
    text = cell_with(executed(LESSON), "a delayed task ran on")
    found = re.search(r"^Java (\d+)$", text, re.M)
    assert found and int(found.group(1)) == 25, text
    assert "a delayed task ran on: ForkJoinPool.commonPool-worker-" in text, "Java 25 uses the common pool"
    assert "the timer thread: ForkJoinPool.commonPool-delayScheduler" in text, "Java 25's timer thread"
    assert "two blocking runAsync" not in text, "the common pool's queueing is lesson 03's, told once"
    prose = nbrun.prose(LESSON)
    for words in ("JEP 491", "JDK 21–23", "no thread is blocked", "class initialiser"):
        assert words in prose, words
    # issue 20: the course runs on JDK 25 only; no sentence about a JDK or a machine no cell printed
    for words in ("Java 17", "this machine", "some file I/O pin"):
        assert words not in prose, words
    assert "no thread waits" not in prose and "no waiting thread" not in prose


def test_no_future_is_dropped():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    for cell in nbrun.code_cells(nb):
        for line in cell.source.splitlines():
            assert not re.match(r"\s*\w+\.submit\(", line), f"a submit() whose future is dropped: {line}"


WRONG = [
    wrong("ex1", "integer division", """
double predictedSeconds(int tasks, int threads) {
    return Math.ceil(tasks / threads);
}""", line="predictedSeconds counts the waves"),
    wrong("ex2", "the bug left in: the common pool", """
int countPosts(Content content, int tasks) {
    List<CompletableFuture<List<Post>>> fetches = new java.util.ArrayList<>();
    for (int i = 0; i < tasks; i++) fetches.add(CompletableFuture.supplyAsync(content::getPosts));
    return fetches.stream().mapToInt(f -> f.join().size()).sum();
}""", line="no fetch waits on a common-pool worker"),
    wrong("ex2", "joining inside the loop", """
int countPosts(Content content, int tasks) {
    int n = 0;
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < 4; i++) {
            n += CompletableFuture.supplyAsync(content::getPosts, pool).join().size();
        }
    }
    return n + tasks - 4;
}""", line="fetches wait at the same time"),
    wrong("ex1", "int arithmetic", """
double predictedSeconds(int tasks, int threads) {
    return tasks / threads;
}""", line="predictedSeconds counts the waves"),
    wrong("ex1", "rounding to the nearest", """
double predictedSeconds(int tasks, int threads) {
    return Math.round((double) tasks / threads);
}""", line="predictedSeconds counts the waves"),
    wrong("ex2", "a fixed pool of one thread per core", """
int countPosts(Content content, int tasks) {
    var fetches = new java.util.ArrayList<CompletableFuture<List<Post>>>();
    try (var pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors())) {
        for (int i = 0; i < tasks; i++) fetches.add(CompletableFuture.supplyAsync(content::getPosts, pool));
        return fetches.stream().mapToInt(f -> f.join().size()).sum();
    }
}""", line="fetches wait at the same time"),
    wrong("ex3", "a cached platform pool nobody closes", """
CompletableFuture<List<List<Post>>> allPostsAsync(int tasks) {
    var content = content();
    var pool = Executors.newCachedThreadPool();
    var all = java.util.stream.IntStream.range(0, tasks)
            .mapToObj(i -> CompletableFuture.supplyAsync(content::getPosts, pool)).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
            .thenApply(d -> all.stream().map(CompletableFuture::join).toList());
}""", line="without a thread of your own"),
    wrong("ex3", "virtual threads nobody waits for", """
CompletableFuture<List<List<Post>>> allPostsAsync(int tasks) {
    var content = content();
    var pool = Executors.newVirtualThreadPerTaskExecutor();
    var all = java.util.stream.IntStream.range(0, tasks)
            .mapToObj(i -> CompletableFuture.supplyAsync(content::getPosts, pool)).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
            .thenApply(d -> all.stream().map(CompletableFuture::join).toList());
}""", line="without a thread of your own"),
    wrong("ex3", "one after the other with thenCompose", """
CompletableFuture<List<List<Post>>> allPostsAsync(int tasks) {
    var content = content();
    CompletableFuture<List<List<Post>>> chain = CompletableFuture.completedFuture(List.of());
    for (int i = 0; i < tasks; i++) {
        chain = chain.thenCompose(done -> content.getPostsAsync().thenApply(p -> {
            var more = new java.util.ArrayList<>(done); more.add(p); return List.copyOf(more); }));
    }
    return chain;
}""", line="10,000 async fetches complete together"),
    wrong("ex3", "joining inside", """
CompletableFuture<List<List<Post>>> allPostsAsync(int tasks) {
    var content = content();
    var all = java.util.stream.IntStream.range(0, tasks).mapToObj(i -> content.getPostsAsync()).toList();
    return CompletableFuture.completedFuture(all.stream().map(CompletableFuture::join).toList());
}""", line="the future comes back at once"),
]


RIGHT = [
    right("ex1", "an integer ceiling", """
double predictedSeconds(int tasks, int threads) {
    return (tasks + threads - 1) / threads;
}"""),
    right("ex2", "a cached platform pool", """
int countPosts(Content content, int tasks) {
    try (var pool = Executors.newCachedThreadPool()) {
        var fetches = new java.util.ArrayList<CompletableFuture<List<Post>>>();
        for (int i = 0; i < tasks; i++) fetches.add(CompletableFuture.supplyAsync(content::getPosts, pool));
        return fetches.stream().mapToInt(f -> f.join().size()).sum();
    }
}"""),
    right("ex2", "invokeAll on virtual threads", """
int countPosts(Content content, int tasks) throws Exception {
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
        var calls = java.util.Collections.nCopies(tasks, (Callable<List<Post>>) content::getPosts);
        int n = 0;
        for (var f : pool.invokeAll(calls)) n += f.get(5, TimeUnit.SECONDS).size();
        return n;
    }
}"""),
    right("ex2", "a ForkJoinPool of its own, one worker per fetch (not the common pool)", """
int countPosts(Content content, int tasks) {
    try (var pool = new ForkJoinPool(tasks)) {
        var fetches = new java.util.ArrayList<CompletableFuture<List<Post>>>();
        for (int i = 0; i < tasks; i++) fetches.add(CompletableFuture.supplyAsync(content::getPosts, pool));
        return fetches.stream().mapToInt(f -> f.join().size()).sum();
    }
}"""),
    right("ex3", "an array and Stream.of", """
CompletableFuture<List<List<Post>>> allPostsAsync(int tasks) {
    var content = content();
    CompletableFuture<List<Post>>[] all = new CompletableFuture[tasks];
    for (int i = 0; i < tasks; i++) all[i] = content.getPostsAsync();
    return CompletableFuture.allOf(all)
            .thenApply(d -> java.util.stream.Stream.of(all).map(CompletableFuture::join).toList());
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, keep=("int biggest", "Content content", "Errands crowdOf("))


def test_platform_threads_one_per_task_have_no_waves_and_print_their_cost(executed):
    text = cell_with(executed(LESSON), "int platformTasks = 2_000;")
    started = re.search(r"^started 2,000 platform threads in (\d+\.\d\d) s \(\d+ µs each\)$", text, re.M)
    assert started, text
    assert re.search(r"^after starting them: \+-?[\d,]+ MiB reserved, \+-?[\d,]+ MiB resident$", text, re.M), text
    found = re.search(r"^2,000 fetches, a platform thread each: (\d+\.\d\d) s; at most (\d+) threads at once",
                      text, re.M)
    assert found, text
    if float(started.group(1)) < 0.9:   # all started before the first one's second was over
        assert int(found.group(2)) >= 2_000, text
    assert "PrintStream" not in text, "a cell's last expression is shown: end with a void call"
    # no waves: the floor plus the time it took to start the threads, not a second per batch
    assert 0.95 <= float(found.group(1)) < 1.0 + float(started.group(1)) + 1.0, text
    limits = cell_with(executed(LESSON), "threads-max")
    assert re.search(r"^/proc/sys/kernel/threads-max: \d{3,}$", limits, re.M), limits
