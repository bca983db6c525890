"""Lesson 12, seeing what runs: thread dumps with virtual threads and scopes, a leak, JFR, names."""
import re

import pytest

from course import nbrun
from course.nbrun import output_of as out
from course.wronganswers import judging, right, wrong

pytestmark = pytest.mark.kernel

LESSON = "12-seeing-what-runs"


def test_it_runs_clean_on_the_preview_kernel_and_leaves_no_thread(executed):
    nb = executed(LESSON)
    assert nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb").metadata.kernelspec.name == "java-preview"
    assert nbrun.errors(nb) == []
    assert nb.metadata["stray_threads"] == "[]"
    assert "preview features on" in out(nb, "--enable-preview")
    # virtual threads too: the lesson's last cell asks a thread dump
    assert out(nb, '"tasks still running: "').strip() == "tasks still running: []"


def test_get_all_stack_traces_lists_no_virtual_thread_but_the_dump_does(executed):
    text = out(executed(LESSON), "Thread.getAllStackTraces().keySet()")
    assert re.search(r"getAllStackTraces: \d+ threads, 0 virtual", text), text
    found = re.search(r"JSON thread dump: +\d+ threads, (\d+) virtual \[(.*)\]", text)
    assert found and int(found.group(1)) == 2, text
    assert sorted(found.group(2).split(", ")) == ["buying the console", "in the fitting room"], text


def test_the_mall_dump_shows_the_running_tasks_in_their_scopes(executed):
    nb = executed(LESSON)
    text = out(nb, 'config -> config.withName("mall")')
    assert re.search(r"└─ scope mall \(opened by jjava-exec-\S+\)", text), text
    assert "buying the console  virtual  TIMED_WAITING  Thread.sleep  at errand(" in text
    assert "in the fitting room  virtual  WAITING  StructuredTaskScopeImpl.join  at fittingRoom(" in text
    assert "scope fitting room (opened by in the fitting room)" in text
    for task in ("trying a jacket", "trying shoes"):
        assert f"{task}  virtual  TIMED_WAITING  Thread.sleep" in text, text
    pictures = [p for p in nbrun.rich_outputs(nb, "image/svg+xml") if "<svg" in p]
    assert any("scope mall (opened by" in p and "trying shoes" in p for p in pictures), "no tree was drawn"


def test_the_leaked_task_is_found_then_cleaned_up_and_the_fix_leaks_nothing(executed):
    nb = executed(LESSON)
    assert "goShopping: Execution time: 0.0" in out(nb, "void goShopping()")
    found = out(nb, "var later = threadDump();")
    assert re.search(r"still running: at the cafe, waits in Thread.sleep, in java.util.concurrent"
                     r"\.ThreadPerTaskExecutor@\w+", found), found
    assert found.count("still running:") == 1, found
    assert "tasks left: []" in out(nb, "forgotten.close()")
    fixed = out(nb, "void goShoppingTogether()")
    assert "tasks left: []" in fixed
    assert 0.6 <= nbrun.seconds(fixed, "goShoppingTogether") < 1.6, fixed


def test_names_make_the_dump_readable(executed):
    nb = executed(LESSON)
    before = out(nb, "ThreadDump unnamed;")
    assert len(re.findall(r"#\d+  virtual  TIMED_WAITING  Thread.sleep", before)) == 3, before
    assert re.search(r"scope StructuredTaskScopeImpl@\w+ \(opened by", before), before
    after = out(nb, "ThreadDump named;")
    assert "scope load posts (opened by" in after
    assert sorted(re.findall(r"(fetch-\d)  virtual", after)) == ["fetch-0", "fetch-1", "fetch-2"], after


def test_jfr_sees_virtual_threads_start_end_and_pin(executed):
    nb = executed(LESSON)
    types = out(nb, "getEventTypes()")
    for name in ("jdk.VirtualThreadStart", "jdk.VirtualThreadEnd", "jdk.VirtualThreadPinned",
                 "jdk.VirtualThreadSubmitFailed"):
        assert name in types, types
    text = out(nb, "var seen = jfrEvents(2")
    lines = dict(line.split(": ", 1) for line in text.strip().splitlines())
    assert sorted(lines["jdk.VirtualThreadStart"].strip("[]").split(", ")) == ["watched-0", "watched-1"], text
    assert sorted(lines["jdk.VirtualThreadEnd"].strip("[]").split(", ")) == ["watched-0", "watched-1"], text
    pinned = re.fullmatch(r"\[watched-0 (\d+) ms\]", lines["jdk.VirtualThreadPinned"])
    assert pinned and int(pinned.group(1)) >= 90, text
    assert lines["jdk.VirtualThreadSubmitFailed"] == "[]"


def test_jcmd_dumps_the_kernel_from_outside(executed):
    nb = executed(LESSON)
    text = out(nb, "Thread.dump_to_file") + out(nb, "threadDump(Files.readString(file))")
    pid = re.search(r"jcmd (\d+):", text).group(1)
    assert f"ThreadDump[process {pid}, " in text, text


def test_the_lesson_has_its_title_objectives_and_time():
    prose = nbrun.prose(LESSON)
    assert "# 12 · Seeing what runs" in prose
    assert "**You will learn**" in prose and "**Time:**" in prose and "## Summary" in prose


# --- wrong answers get ✘: one extra run of the learner notebook with wrong answers after each check ---

WRONG = [
    wrong("ex1", 'virtual threads with no names', "ExecutorService fetchers() { return Executors.newVirtualThreadPerTaskExecutor(); }"),
    wrong("ex1", 'platform threads named fetch-', "ExecutorService fetchers() {\n    return Executors.newThreadPerTaskExecutor(\n"
        "            Thread.ofPlatform().name(\"fetch-\", 0).factory());\n}"),
    wrong("ex1", 'one factory shared by every executor', "ThreadFactory sharedFetchers = Thread.ofVirtual().name(\"fetch-\", 0).factory();\n"
        "ExecutorService fetchers() { return Executors.newThreadPerTaskExecutor(sharedFetchers); }"),
    wrong("ex1", 'null', "ExecutorService fetchers() { return null; }"),
    wrong("ex2", 'the first thread of the dump', "String stillOut(ThreadDump dump) { return dump.threads().get(0).name(); }"),
    wrong("ex2", 'any thread in Thread.sleep: virtual or not', "String stillOut(ThreadDump dump) {\n    return dump.threads().stream()\n"
        "        .filter(t -> t.waitsOn().startsWith(\"Thread.sleep\"))\n"
        "        .map(ThreadDump.Entry::name).findFirst().orElse(null);\n}"),
    wrong("ex2", 'a constant', "String stillOut(ThreadDump dump) { return \"coffee\"; }"),
    wrong("ex2", 'virtual() alone: the thread queueing at the till is virtual too', "String stillOut(ThreadDump dump) {\n    return dump.threads().stream()\n"
        "        .filter(ThreadDump.Entry::virtual)\n"
        "        .map(ThreadDump.Entry::name).findFirst().orElse(null);\n}"),
    wrong("ex3", 'no dump before: "already here" counts as a leak', "List<String> leftRunning(Block cell) throws Exception {\n    cell.run();\n"
        "    Thread.sleep(500);\n    return threadDump().threads().stream().filter(t -> t.virtual())\n"
        "        .map(ThreadDump.Entry::name).sorted().toList();\n}"),
    wrong("ex3", 'the old tool: sees no virtual thread', "List<String> leftRunning(Block cell) throws Exception {\n"
        "    var before = Set.copyOf(Thread.getAllStackTraces().keySet());\n    cell.run();\n"
        "    Thread.sleep(500);\n    return Thread.getAllStackTraces().keySet().stream()\n"
        "        .filter(t -> !before.contains(t)).map(Thread::getName).sorted().toList();\n}"),
    wrong("ex3", 'no wait: a task about to end is counted', "List<String> leftRunning(Block cell) throws Exception {\n    Set<Long> before = new HashSet<>();\n"
        "    threadDump().threads().forEach(t -> before.add(t.id()));\n    cell.run();\n"
        "    return threadDump().threads().stream()\n"
        "        .filter(t -> t.virtual() && !before.contains(t.id()))\n"
        "        .map(ThreadDump.Entry::name).sorted().toList();\n}"),
    wrong("ex4", 'every thread waiting for a lock with an owner: the third shopper too', "List<String> deadlocked(ThreadInfo[] dump) {\n    return Arrays.stream(dump)\n"
        "        .filter(t -> t.getLockOwnerId() != -1)\n"
        "        .map(ThreadInfo::getThreadName).sorted().toList();\n}"),
    wrong("ex4", "every WAITING thread: the JVM's own too", "List<String> deadlocked(ThreadInfo[] dump) {\n    return Arrays.stream(dump)\n"
        "        .filter(t -> t.getThreadState() == Thread.State.WAITING)\n"
        "        .map(ThreadInfo::getThreadName).sorted().toList();\n}"),
    wrong("ex4", 'asks the JVM as it is now, not the dump: the deadlock is over', "List<String> deadlocked(ThreadInfo[] dump) {\n"
        "    var mx = ManagementFactory.getThreadMXBean();\n"
        "    return Arrays.stream(mx.getThreadInfo(mx.findDeadlockedThreads()))\n"
        "        .map(ThreadInfo::getThreadName).sorted().toList();\n}"),
    wrong("ex4", 'monitors only: never a ReentrantLock', "List<String> deadlocked(ThreadInfo[] dump) {\n"
        "    long[] ids = ManagementFactory.getThreadMXBean().findMonitorDeadlockedThreads();\n"
        "    return ids == null ? List.of() : List.of(\"?\");\n}"),
    wrong("ex4", "the first afternoon's names", "List<String> deadlocked(ThreadInfo[] dump) { return List.of(\"console\", \"jacket\"); }"),
]

# right answers written another way than the worked ones get only ✔ (issue 20)
RIGHT = [
    right("ex1", "a counter of its own for the names", "ExecutorService fetchers() {\n    var n = new java.util.concurrent.atomic.AtomicInteger();\n"
           "    return Executors.newThreadPerTaskExecutor(\n"
           "            r -> Thread.ofVirtual().name(\"fetch-\" + n.getAndIncrement()).unstarted(r));\n}"),
    right("ex2", "a loop over the tasks", "String stillOut(ThreadDump dump) {\n    for (var t : dump.tasks())\n"
           "        if (t.virtual() && t.waitsOn().startsWith(\"Thread.sleep\")) return t.name();\n"
           "    return null;\n}"),
    right("ex3", "ids before, virtual tasks after", "List<String> leftRunning(Block cell) throws Exception {\n"
           "    Set<Long> before = Set.copyOf(threadDump().threads().stream().map(ThreadDump.Entry::id).toList());\n"
           "    cell.run();\n    Thread.sleep(600);\n"
           "    return threadDump().tasks().stream().filter(t -> t.virtual() && !before.contains(t.id()))\n"
           "        .map(ThreadDump.Entry::name).sorted().toList();\n}"),
    right("ex4", "a set of visited threads instead of a step count", """List<String> deadlocked(ThreadInfo[] dump) {
    Map<Long, ThreadInfo> byId = new HashMap<>();
    for (ThreadInfo t : dump) byId.put(t.getThreadId(), t);
    Set<String> circle = new TreeSet<>();
    for (ThreadInfo t : dump) {
        Set<Long> seen = new HashSet<>();
        ThreadInfo at = t;
        while (at != null && seen.add(at.getThreadId())) at = byId.get(at.getLockOwnerId());
        if (at != null && at.getThreadId() == t.getThreadId()) circle.add(t.getThreadName());
    }
    return List.copyOf(circle);
}"""),
]


# the lesson's cells the exercises need; the demonstrations are left out of this run to save time
NEEDED = ("String errand(", "void goShoppingTogether()", "List<String> fetchThreadsSeen(",
          "String queue(", "ThreadDump afternoon(", "import java.util.concurrent.locks.Lock;", "Runnable shopper(",
          "ThreadInfo[] stuckAfternoon(")


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, keep=NEEDED)


def test_the_wrong_answers_leave_no_threads_behind(verdicts):
    assert verdicts.stray_threads == "[]", verdicts.stray_threads


def test_the_wrong_answers_run_keeps_every_exercise_and_its_helpers():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    for needed in NEEDED:
        assert sum(needed in c.source for c in nbrun.code_cells(nb) if not c.metadata.get("tags")) >= 1, needed


def test_a_right_answer_written_another_way_reads_the_circle(verdicts):
    lines = verdicts["ex4: a set of visited threads instead of a step count"].strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("✔") for line in lines), lines


def test_filtering_on_virtual_alone_is_told_what_it_found(verdicts):
    text = verdicts["ex2: virtual() alone: the thread queueing at the till is virtual too"]
    assert '✘ nobody still out: null: expected null, got "at the till"' in text, text


# --- deadlock, starvation and busy carriers, shown on this machine ---

def test_a_deadlock_is_named_by_the_jvm_and_ended_by_interrupts(executed):
    nb = executed(LESSON)
    text = out(nb, "ThreadDump stuck = threadDump();")
    assert "after 1 s: A WAITING, B WAITING" in text, text
    assert re.search(r"shopper A waits for java\.util\.concurrent\.locks\.ReentrantLock\$NonfairSync@\w+, "
                     r"held by shopper B", text), text
    assert re.search(r"shopper B waits for java\.util\.concurrent\.locks\.ReentrantLock\$NonfairSync@\w+, "
                     r"held by shopper A", text), text
    assert "interrupted: A alive false, B alive false" in text, text
    dump = out(nb, 'stuck.show(t -> t.name().startsWith("shopper"))')
    for who in ("shopper A", "shopper B"):
        assert re.search(rf"{who}  platform  WAITING  ReentrantLock\.lockInterruptibly  at lambda\$shopper", dump), dump


def test_one_lock_order_or_a_timed_try_ends_the_deadlock(executed):
    nb = executed(LESSON)
    assert "one lock order: A alive false, B alive false; [no deadlock]" in out(nb, "// the same order")
    polite = out(nb, "start(politeShopper(keys, wallet))")
    assert re.search(r"shopper A: both locks, attempt \d+", polite), polite
    assert re.search(r"shopper B: both locks, attempt \d+", polite), polite
    assert "alive after: A false, B false" in polite, polite


def test_a_pool_that_waits_for_itself_starves_and_the_fix_does_not(executed):
    nb = executed(LESSON)
    starved = out(nb, 'two.submit(() -> "receipt")')
    assert starved.count("gave up after 1 s; the receipt task done: false; [no deadlock]") == 2, starved
    fixed = out(nb, 'clerks.submit(() -> "receipt")')
    assert fixed.count("paid: receipt") == 2, fixed


def test_busy_virtual_threads_hold_every_carrier_and_a_nap_wakes_late(executed):
    nb = executed(LESSON)
    cores = out(nb, "jdk.virtualThreadScheduler.parallelism")
    found = re.search(r"(\d+) cores, (\d+) carrier threads for virtual threads", cores)
    assert found, cores
    text = out(nb, "napWith(platform, carriers)")
    alone = float(re.search(r"nothing busy: (\d+\.\d\d) s", text).group(1))
    virtual = float(re.search(r"beside \d+ busy virtual threads: (\d+\.\d\d) s", text).group(1))
    platform = float(re.search(r"beside \d+ busy platform threads: (\d+\.\d\d) s", text).group(1))
    assert 0.09 <= alone < 0.5, text
    assert virtual >= 0.6, text          # woke only when a one-second computation let go (it started first)
    assert platform < 0.6 and platform < virtual, text
