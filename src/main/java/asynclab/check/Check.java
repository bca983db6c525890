package asynclab.check;

import asynclab.Block;
import asynclab.Work;
import asynclab.junit.TestRun;
import asynclab.timeline.Timeline;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A one-line verdict on an exercise: {@code ✔ posts are loaded — well done!} or
 * {@code ✘ posts are loaded: expected [Post[id=1, title=Lorem Ipsum]], got []. Hint: …}.
 *
 * <p>A check names what it checks, may carry a hint shown only on failure, and ends with one
 * verb that runs the learner's answer and prints the verdict:
 * {@snippet :
 * Check.that("posts are loaded").hint("call content.getPosts()").expect(() -> answer(), expected);
 * Errands errands = Errands.blocking(Duration.ofSeconds(1));
 * check("both at once").runsAtOnce(errands, () -> loadBoth(errands.fetch("posts"), errands.fetch("albums")));
 * }
 *
 * <p>Nothing the answer does escapes as a stack trace. A {@code null}, an exception (including
 * the stub's {@code UnsupportedOperationException}) or code that never ends each becomes a ✘
 * line. The answer runs on a daemon platform thread of its own (so an answer that spins does not
 * hold a virtual-thread carrier) for at most {@linkplain #within five seconds}; when time is up
 * that thread is interrupted, and if it still does not stop the line says so and asks for a
 * kernel restart, the only way to stop it.
 *
 * <p>The verbs that take {@link Errands} judge what happened (which errands overlapped, how many
 * ran at once, on which threads, which were interrupted, which were still running when the
 * answer returned), not how long it took; wall time is only a generous bound. When the machine
 * was too busy for a verdict on timing (a 10 ms sleep overshot by half an errand or more), the
 * line says so and asks to run the cell again instead of blaming the answer.
 *
 * <p>Grading mode: when the environment variable {@code NBGRADER_EXECUTION} is set (nbgrader's
 * autograde sets it), a ✘ line is printed and then an {@link AssertionError} is thrown, so the
 * cell scores zero.
 *
 * <p>A {@code Check} is immutable: {@link #hint} and {@link #within} return a new one, so a check
 * kept in a variable can be reused.
 */
public final class Check {
    /** How long an answer may run unless {@link #within} says otherwise: five seconds. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(5);

    /** The environment variable that turns on grading mode. */
    public static final String GRADING_VARIABLE = "NBGRADER_EXECUTION";

    private static final int MAX_VALUE_CHARS = 160;
    private static final String RESTART = "restart the kernel (Kernel → Restart) to stop it";

    private final String what;
    private final String hint;
    private final Duration limit;
    private final boolean limitGiven;

    private Check(String what, String hint, Duration limit, boolean limitGiven) {
        this.what = what;
        this.hint = hint;
        this.limit = limit;
        this.limitGiven = limitGiven;
    }

    /** A check called {@code what}, as printed at the start of its line. */
    public static Check that(String what) {
        return new Check(Objects.requireNonNull(what, "what"), null, DEFAULT_LIMIT, false);
    }

    /** The same check with a hint printed after a failure. */
    public Check hint(String hint) {
        return new Check(what, hint, limit, limitGiven);
    }

    /** The same check, giving the answer {@code limit} to finish instead of five seconds. */
    public Check within(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the limit must be positive: " + limit);
        }
        return new Check(what, hint, limit, true);
    }

    /** Passes if the answer returns a value equal to {@code expected} (arrays compared deeply). */
    public <T> void expect(Work<T> answer, T expected) {
        emit(expectLine(answer, expected));
    }

    /**
     * Passes if the answer returns a value that passes {@code test}; {@code expectation} says in
     * words what was expected, as in {@code "a list of two items"}.
     */
    public <T> void satisfies(Work<T> answer, String expectation, Predicate<? super T> test) {
        emit(satisfiesLine(answer, expectation, test));
    }

    /**
     * Passes if the answer takes about {@code seconds} of wall-clock time: within a quarter of
     * a second, or a quarter of the figure if that is more. The answer gets at least twice the
     * expected time plus two seconds to finish. When the answer took too long while a 10 ms sleep
     * woke up late by more than half the tolerance, the line says the machine was too busy to judge.
     * Prefer the {@link Errands} verbs where the question is whether work overlapped: time alone
     * can be fooled and is noisy on a busy machine.
     */
    public void takesAbout(double seconds, Block answer) {
        emit(takesAboutLine(seconds, answer));
    }

    /** Passes if the tasks called {@code a} and {@code b} in the timeline ran at the same time. */
    public void overlaps(Timeline timeline, String a, String b) {
        emit(overlapsLine(timeline, a, b));
    }

    /**
     * Passes if the thread the answer returns is a virtual thread. The answer itself runs on a
     * platform thread, so returning {@code Thread.currentThread()} is not enough.
     */
    public void isVirtualThread(Work<Thread> answer) {
        emit(isVirtualThreadLine(answer));
    }

    /**
     * Passes if no thread that the answer started is still alive half a second after it returns:
     * neither a virtual thread nor a non-daemon platform thread. The answer runs on a non-daemon
     * platform thread, so platform threads it starts are non-daemon unless it says otherwise;
     * virtual threads are found in a JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}).
     */
    public void leavesNoThreadsRunning(Block answer) {
        emit(leavesNoThreadsRunningLine(answer));
    }

    /**
     * Passes if every JUnit Jupiter test in the given classes passes, run as
     * {@link asynclab.junit.TestRun#runTests} runs them, each test within the limit.
     */
    public void passesTests(Class<?>... testClasses) {
        emit(passesTestsLine(testClasses));
    }

    /**
     * Passes if the answer ran the errands at the same time: every errand it was handed started,
     * every one started before any ended, none ran on the common pool, and none was still running
     * when the answer returned. The answer gets at least one errand's time per errand handed out
     * before the check, plus two seconds.
     */
    public void runsAtOnce(Errands errands, Block answer) {
        emit(errandsLine(Shape.AT_ONCE, 0, errands, block(answer), null, false));
    }

    /** {@link #runsAtOnce(Errands, Block)} for an answer that returns a value (not judged). */
    public void runsAtOnce(Errands errands, Work<?> answer) {
        emit(errandsLine(Shape.AT_ONCE, 0, errands, answer, null, false));
    }

    /** {@link #runsAtOnce(Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void runsAtOnce(Errands errands, Work<T> answer, T expected) {
        emit(errandsLine(Shape.AT_ONCE, 0, errands, answer, expected, true));
    }

    /**
     * Passes if the answer ran the errands one after the other: every errand started, no two
     * overlapped, none on the common pool, none still running when the answer returned.
     */
    public void runsOneAtATime(Errands errands, Block answer) {
        emit(errandsLine(Shape.ONE_AT_A_TIME, 1, errands, block(answer), null, false));
    }

    /** {@link #runsOneAtATime(Errands, Block)} for an answer that returns a value (not judged). */
    public void runsOneAtATime(Errands errands, Work<?> answer) {
        emit(errandsLine(Shape.ONE_AT_A_TIME, 1, errands, answer, null, false));
    }

    /** {@link #runsOneAtATime(Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void runsOneAtATime(Errands errands, Work<T> answer, T expected) {
        emit(errandsLine(Shape.ONE_AT_A_TIME, 1, errands, answer, expected, true));
    }

    /**
     * Passes if the answer never ran more than {@code n} errands at once and did reach {@code n}
     * at once (or all of them, if fewer started), so more than one at a time: every errand
     * started, none on the common pool, none still running when the answer returned.
     */
    public void capsAt(int n, Errands errands, Block answer) {
        emit(errandsLine(Shape.CAPPED, n, errands, block(answer), null, false));
    }

    /** {@link #capsAt(int, Errands, Block)} for an answer that returns a value (not judged). */
    public void capsAt(int n, Errands errands, Work<?> answer) {
        emit(errandsLine(Shape.CAPPED, n, errands, answer, null, false));
    }

    /** {@link #capsAt(int, Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void capsAt(int n, Errands errands, Work<T> answer, T expected) {
        emit(errandsLine(Shape.CAPPED, n, errands, answer, expected, true));
    }

    /**
     * Passes if the answer gave up on errands and cancelled them: at least one errand was
     * interrupted, and every errand that did not finish its time was interrupted and had ended by
     * the time the answer returned (virtual threads included). An answer that only stops waiting
     * ({@code get(timeout)}, {@code orTimeout}, {@code CompletableFuture.cancel}) leaves its
     * errand running and gets ✘.
     */
    public void cancels(Errands errands, Block answer) {
        emit(errandsLine(Shape.CANCELS, 0, errands, block(answer), null, false));
    }

    /** {@link #cancels(Errands, Block)} for an answer that returns a value (not judged). */
    public void cancels(Errands errands, Work<?> answer) {
        emit(errandsLine(Shape.CANCELS, 0, errands, answer, null, false));
    }

    /** {@link #cancels(Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void cancels(Errands errands, Work<T> answer, T expected) {
        emit(errandsLine(Shape.CANCELS, 0, errands, answer, expected, true));
    }

    /**
     * Passes if the learner's JUnit test class passes against the correct version of the
     * {@code subject} and fails against every broken one, using the subject at least once. An
     * empty test, or one that asserts nothing the bugs change, gets ✘ naming a bug it missed.
     * Each test gets the limit (five seconds unless {@link #within} says otherwise).
     */
    public <T> void catchesBugs(Class<?> testClass, Subject<T> subject) {
        emit(catchesBugsLine(testClass, subject));
    }

    @Override
    public String toString() {
        return "Check[" + what + (hint == null ? "" : ", hint=" + hint) + ", within " + limit + "]";
    }

    /** Prints the line; in grading mode a ✘ line then throws, so the cell scores zero. */
    static void emit(String line) {
        emit(line, grading());
    }

    static void emit(String line, boolean grading) {
        System.out.println(line);
        System.out.flush();
        if (grading && line.startsWith("✘")) {
            throw new AssertionError(line);
        }
    }

    static boolean grading() {
        String v = System.getenv(GRADING_VARIABLE);
        return v != null && !v.isEmpty();
    }

    // ---------------------------------------------------------------------------------------------
    // The verdicts as strings, for tests.

    <T> String expectLine(Work<T> answer, T expected) {
        Outcome<T> out = run(answer, limit, Where.DAEMON);
        if (out.problem != null) {
            return fail("expected " + describe(expected) + ", " + out.problem);
        }
        boolean equal;
        try {
            equal = Objects.deepEquals(expected, out.value);
        } catch (RuntimeException e) {
            return fail("expected " + describe(expected) + ", got " + describe(out.value) + ", and comparing them threw "
                    + e.getClass().getSimpleName());
        }
        if (equal) {
            return pass();
        }
        String e = describe(expected);
        String g = describe(out.value);
        if (e.equals(g) && expected != null && out.value != null) {
            e += " (" + expected.getClass().getSimpleName() + ")";
            g += " (" + out.value.getClass().getSimpleName() + ")";
        }
        return fail("expected " + e + ", got " + g);
    }

    <T> String satisfiesLine(Work<T> answer, String expectation, Predicate<? super T> test) {
        Outcome<T> out = run(answer, limit, Where.DAEMON);
        if (out.problem != null) {
            return fail("expected " + expectation + ", " + out.problem);
        }
        boolean ok;
        try {
            ok = test.test(out.value);
        } catch (RuntimeException e) {
            ok = false;
        }
        return ok ? pass() : fail("expected " + expectation + ", got " + describe(out.value));
    }

    String takesAboutLine(double seconds, Block answer) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be a finite number >= 0: " + seconds);
        }
        Duration time = max(limit, Duration.ofMillis((long) (seconds * 2000) + 2000));
        Lag lag = Lag.start();
        long start = System.nanoTime();
        Outcome<Object> out;
        try {
            out = run(() -> {
                answer.run();
                return null;
            }, time, Where.DAEMON);
        } finally {
            lag.stop();
        }
        double took = (System.nanoTime() - start) / 1e9;
        String expected = String.format(Locale.ROOT, "about %.2f s", seconds);
        if (out.problem != null) {
            return fail("expected it to take " + expected + ", " + out.problem);
        }
        double tolerance = Math.max(0.25, seconds * 0.25);
        String got = String.format(Locale.ROOT, "%.2f s", took);
        if (Math.abs(took - seconds) <= tolerance) {
            return pass("took " + got);
        }
        if (took > seconds && lag.worst() > tolerance * 1e9 / 2) {
            return tooBusy(lag.worst());
        }
        return fail("expected it to take " + expected + ", got " + got);
    }

    String overlapsLine(Timeline timeline, String a, String b) {
        if (timeline == null) {
            return fail("expected a timeline with tasks \"" + a + "\" and \"" + b + "\", got null");
        }
        List<Timeline.Task> tasks = timeline.tasks();
        for (String label : List.of(a, b)) {
            if (tasks.stream().noneMatch(t -> t.label().equals(label))) {
                List<String> labels = tasks.stream().map(Timeline.Task::label).distinct().limit(8).toList();
                return fail("expected a task called \"" + label + "\" in timeline \"" + timeline.title() + "\", got "
                        + (labels.isEmpty() ? "no tasks at all" : "only " + labels));
            }
        }
        if (timeline.overlap(a, b)) {
            return pass();
        }
        Timeline.Task ta = timeline.task(a).orElseThrow();
        Timeline.Task tb = timeline.task(b).orElseThrow();
        return fail("expected \"" + a + "\" and \"" + b + "\" to run at the same time, got " + a + " " + span(ta)
                + " and " + b + " " + span(tb) + ", one after the other");
    }

    String passesTestsLine(Class<?>... testClasses) {
        if (testClasses == null || testClasses.length == 0 || Arrays.asList(testClasses).contains(null)) {
            return fail("expected a test class such as MyTest.class, got none");
        }
        TestRun.Summary summary = TestRun.execute(limit, testClasses);
        int total = summary.passed() + summary.failed();
        if (summary.failed() > 0) {
            return fail("expected every test to pass, got " + summary.failed() + " of " + total + " failing: "
                    + firstFailure(summary));
        }
        if (total == 0) {
            return fail("expected at least one test, got none: is each test method annotated with @Test?");
        }
        return pass(total + (total == 1 ? " test" : " tests") + " passed");
    }

    String isVirtualThreadLine(Work<Thread> answer) {
        Outcome<Thread> out = run(answer, limit, Where.DAEMON);
        if (out.problem != null) {
            return fail("expected a virtual thread, " + out.problem);
        }
        if (out.value == null) {
            return fail("expected a virtual thread, got null");
        }
        if (out.value.isVirtual()) {
            return pass();
        }
        return fail("expected a virtual thread, got the platform thread \"" + out.value.getName() + "\"");
    }

    String leavesNoThreadsRunningLine(Block answer) {
        Set<Long> before = LiveThreads.now().keySet();
        Set<Long> ours = ConcurrentHashMap.newKeySet();
        Outcome<Object> out = run(() -> {
            ours.add(Thread.currentThread().threadId());
            answer.run();
            return null;
        }, limit, Where.PLATFORM);
        if (out.problem != null) {
            return fail("expected it to finish and leave no threads running, " + out.problem);
        }
        Map<Long, String> left = Map.of();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (true) {
            left = new TreeMap<>(LiveThreads.now());
            left.keySet().removeAll(before);
            left.keySet().removeAll(ours);
            if (left.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            sleepQuietly(25);
        }
        if (left.isEmpty()) {
            return pass();
        }
        List<String> names = left.values().stream().limit(3).toList();
        return fail("expected no threads left running after it returned, got " + left.size()
                + (left.size() == 1 ? " still running: " : " still running, such as ") + String.join(", ", names)
                + " (close executors with try-with-resources, or join the threads)");
    }

    // ---------------------------------------------------------------------------------------------
    // Errands: judged by what happened.

    enum Shape { AT_ONCE, ONE_AT_A_TIME, CAPPED, CANCELS }

    private static Work<Object> block(Block answer) {
        return answer == null ? null : () -> {
            answer.run();
            return null;
        };
    }

    /** What the answer returned, the spans when it did, and how many errands had started by then. */
    private record Returned<T>(T value, List<Errands.Span> spans, int started) {}

    <T> String errandsLine(Shape shape, int n, Errands errands, Work<? extends T> answer, T expected, boolean checkValue) {
        if (errands == null) {
            throw new IllegalArgumentException("the check needs the Errands the answer uses, got null");
        }
        if (shape == Shape.CAPPED && n < 1) {
            throw new IllegalArgumentException("a cap must be at least 1: " + n);
        }
        String goal = switch (shape) {
            case AT_ONCE -> "the errands to run at the same time";
            case ONE_AT_A_TIME -> "the errands to run one at a time";
            case CAPPED -> "at most " + n + " errands at once";
            case CANCELS -> "the answer to give up and cancel what it started";
        };
        if (answer == null) {
            return fail("expected " + goal + ", but got no answer at all (null instead of code to run)");
        }
        errands.begin();
        long each = errands.each().toNanos();
        int planned = Math.max(2, errands.handedOut().size());
        Duration time = limitGiven ? limit : max(limit, Duration.ofNanos(each * planned + 2_000_000_000L));
        Lag lag = Lag.start();
        long start = System.nanoTime();
        Outcome<Returned<T>> out;
        try {
            out = run(() -> {
                T value = answer.get();
                int started = errands.started();
                return new Returned<>(value, errands.spans(0, started), started);
            }, time, Where.DAEMON);
        } finally {
            lag.stop();
        }
        double took = (System.nanoTime() - start) / 1e9;
        List<String> handedOut = errands.handedOut();
        List<Errands.Span> spans = out.problem == null ? lateStarters(errands, out.value, handedOut) : errands.spans();
        boolean stopped = errands.stopStragglers(Duration.ofSeconds(1));
        errands.finish();
        long overshoot = spans.stream().filter(sp -> !sp.running() && !sp.interrupted())
                .mapToLong(sp -> sp.end().orElseThrow().minus(sp.start()).toNanos() - each).max().orElse(0);
        long late = Math.max(lag.worst(), overshoot);
        boolean busy = late > Math.max(100_000_000L, each / 2);
        String busyLine = tooBusy(late);

        if (out.problem != null) {
            String seen = spans.isEmpty() ? "" : " (by then the errands had run like this: " + spans(spans) + ")";
            return fail("expected " + goal + ", " + out.problem + seen);
        }
        if (checkValue) {
            String wrong = wrongValue(expected, out.value.value());
            if (wrong != null) {
                return fail("expected the answer to return " + wrong);
            }
        }
        if (spans.isEmpty()) {
            return fail("expected " + goal + ", but no errand started: call get() on each fetch (or call() on each callable)");
        }
        List<String> never = handedOut.stream().filter(name -> spans.stream().noneMatch(sp -> sp.name().equals(name))).toList();
        if (!never.isEmpty() && shape != Shape.CANCELS) {
            return fail("expected every errand to run, but " + quoted(never) + " never started");
        }
        Optional<Errands.Span> pooled = spans.stream().filter(Errands.Span::commonPool).findFirst();
        if (pooled.isPresent()) {
            return fail("expected the errands to run on threads meant for waiting, but \"" + pooled.get().name()
                    + "\" ran on the common pool (" + pooled.get().thread() + "), which has only "
                    + ForkJoinPool.getCommonPoolParallelism() + " thread" + (ForkJoinPool.getCommonPoolParallelism() == 1 ? "" : "s")
                    + " here and is meant for short computations: pass an executor (supplyAsync(work, executor))");
        }
        List<Errands.Span> left = spans.stream().filter(Errands.Span::running).toList();
        if (!left.isEmpty()) {
            String names = quoted(left.stream().map(Errands.Span::name).distinct().toList());
            String cleanup = stopped ? "" : " (it ignored the interrupt afterwards too: " + RESTART + ")";
            if (shape == Shape.CANCELS && left.stream().allMatch(Errands.Span::interrupted)) {
                return fail("expected every errand to be stopped by the time the answer returned, but " + names
                        + " was interrupted and had not ended yet: wait for it to stop before returning (close the"
                        + " executor, or awaitTermination)" + cleanup);
            }
            if (shape == Shape.CANCELS) {
                return fail("expected every errand to be stopped by the time the answer returned, but " + names
                        + " was not finished and had not been interrupted: cancel it with an interrupt"
                        + " (Future.cancel(true) from an ExecutorService, shutdownNow, or a scope);"
                        + " CompletableFuture.cancel and orTimeout do not interrupt" + cleanup);
            }
            return fail("expected every errand to have ended when the answer returned, but " + names
                    + " was not finished when the answer returned: wait for the tasks (join them, or close the executor)"
                    + " before returning" + cleanup);
        }
        int most = Errands.mostAtOnce(spans);
        switch (shape) {
            case AT_ONCE -> {
                if (spans.size() < 2) {
                    return fail("expected at least two errands at once, but only " + quoted(List.of(spans.get(0).name())) + " ran");
                }
                if (most < spans.size()) {
                    if (busy) {
                        return busyLine;
                    }
                    return fail("expected " + goal + ", but " + (most == 1 ? "they ran one after the other"
                            : "at most " + most + " of " + spans.size() + " ran at once") + ": " + spans(spans)
                            + " (start them all before waiting for any)");
                }
                double sequential = each * spans.size() / 1e9;
                if (took > sequential + 1.0) {
                    return busy ? busyLine : fail(String.format(Locale.ROOT, "expected %s, and they overlapped, but the"
                            + " answer took %.2f s, longer than running them one after the other (%.2f s): is it waiting for"
                            + " something else?", goal, took, sequential));
                }
                return pass(String.format(Locale.ROOT, "%d at once, %.2f s", most, took));
            }
            case ONE_AT_A_TIME -> {
                if (most > 1) {
                    return fail("expected " + goal + ", but " + most + " ran at once: " + spans(spans)
                            + " (wait for each before starting the next)");
                }
                return pass(String.format(Locale.ROOT, "%d one after the other, %.2f s", spans.size(), took));
            }
            case CAPPED -> {
                if (most > n) {
                    return fail("expected " + goal + ", but " + most + " ran at once (limit them: a Semaphore of " + n
                            + " permits, or a pool of " + n + " threads)");
                }
                int reachable = Math.min(n, spans.size());
                if (most < reachable) {
                    if (busy) {
                        return busyLine;
                    }
                    return fail("expected " + goal + " and " + reachable + " at once at the busiest moment, but "
                            + (most == 1 ? "they ran one after the other" : "at most " + most + " ran at once")
                            + ": the cap is " + n + ", so let " + n + " run together");
                }
                return pass(String.format(Locale.ROOT, "at most %d at once, %.2f s", most, took));
            }
            case CANCELS -> {
                long cut = spans.stream().filter(Errands.Span::interrupted).count();
                if (cut == 0) {
                    return fail("expected " + goal + ", but every errand ran to its end (" + secs(errands.each())
                            + " each) and none was interrupted: give up sooner, then cancel");
                }
                return pass(cut + (cut == 1 ? " errand" : " errands") + " cancelled, none left running");
            }
        }
        throw new AssertionError(shape);
    }

    /**
     * The spans as the answer returned, plus the errands that started after it returned (tasks it
     * submitted and did not wait for), shown as still running. Which errands those are is told by
     * count ({@link Errands#spans(int, int)}), so one that starts a moment after the answer
     * returns is never missed. Every answer's leftovers get a quarter of a second to start,
     * whatever was handed out (an answer may run one errand twice, the second time unawaited);
     * errands handed out but not yet started get up to half a second. An errand still running when
     * the answer returned counts as interrupted if its record says so by the end of that wait.
     */
    private static List<Errands.Span> lateStarters(Errands errands, Returned<?> returned, List<String> handedOut) {
        long started = System.nanoTime();
        long grace = started + 250_000_000L;
        long deadline = started + 500_000_000L;
        while ((errands.started() < handedOut.size() && System.nanoTime() < deadline) || System.nanoTime() < grace) {
            sleepQuietly(10);
        }
        // An errand interrupted just before the answer returned may have been caught between its
        // thread's flag being cleared (the sleep threw) and its record saying so: read it again.
        Set<Duration> interruptedSince = new HashSet<>();
        for (Errands.Span sp : errands.spans(0, returned.started())) {
            if (sp.interrupted()) {
                interruptedSince.add(sp.start());
            }
        }
        List<Errands.Span> all = new java.util.ArrayList<>();
        for (Errands.Span sp : returned.spans()) {
            all.add(sp.running() && !sp.interrupted() && interruptedSince.contains(sp.start())
                    ? new Errands.Span(sp.name(), sp.start(), sp.end(), sp.thread(), sp.virtual(), sp.commonPool(), true)
                    : sp);
        }
        for (Errands.Span sp : errands.spans(returned.started(), Integer.MAX_VALUE)) {
            all.add(new Errands.Span(sp.name(), sp.start(), Optional.empty(), sp.thread(), sp.virtual(), sp.commonPool(),
                    sp.interrupted()));
        }
        return List.copyOf(all);
    }

    private static String wrongValue(Object expected, Object got) {
        boolean equal;
        try {
            equal = Objects.deepEquals(expected, got);
        } catch (RuntimeException e) {
            equal = false;
        }
        return equal ? null : describe(expected) + ", got " + describe(got);
    }

    private static String quoted(List<String> names) {
        List<String> q = names.stream().limit(3).map(x -> "\"" + x + "\"").toList();
        return String.join(", ", q) + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
    }

    private static String spans(List<Errands.Span> spans) {
        List<String> parts = new java.util.ArrayList<>();
        for (Errands.Span sp : spans.stream().limit(4).toList()) {
            parts.add(sp.name() + " " + String.format(Locale.ROOT, "%.2f", sp.start().toNanos() / 1e9) + "–"
                    + sp.end().map(e -> String.format(Locale.ROOT, "%.2f s", e.toNanos() / 1e9)).orElse("(running)"));
        }
        return String.join(", ", parts) + (spans.size() > 4 ? ", …" : "");
    }

    private String tooBusy(long lateNanos) {
        return "✘ " + what + ": could not judge, the machine was too busy (a 10 ms sleep woke up "
                + String.format(Locale.ROOT, "%.2f s", lateNanos / 1e9)
                + " late), which is not your answer's fault: run the cell again when the machine is quieter.";
    }

    /** Added to every lag measured, for tests of the "too busy" verdicts: zero in real use. */
    static volatile long simulatedLag;

    /** Watches how late a 10 ms sleep wakes up while an answer runs: a measure of how busy the machine is. */
    private static final class Lag {
        private final Thread thread;
        private volatile boolean done;
        private volatile long worst;

        private Lag() {
            thread = Thread.ofPlatform().daemon(true).name("check-lag").unstarted(this::watch);
        }

        static Lag start() {
            Lag lag = new Lag();
            lag.thread.start();
            return lag;
        }

        private void watch() {
            while (!done) {
                long before = System.nanoTime();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
                worst = Math.max(worst, System.nanoTime() - before - 10_000_000L);
            }
        }

        void stop() {
            done = true;
            thread.interrupt();
        }

        long worst() {
            return worst + simulatedLag;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // A learner's test, judged by the bugs it catches.

    <T> String catchesBugsLine(Class<?> testClass, Subject<T> subject) {
        if (testClass == null) {
            return fail("expected a test class such as MyTest.class, got null");
        }
        Objects.requireNonNull(subject, "subject");
        try {
            int before = subject.use(subject.correct());
            TestRun.Summary right = TestRun.execute(limit, testClass);
            int total = right.passed() + right.failed();
            if (total == 0) {
                return fail("expected at least one test, got none: is each test method annotated with @Test?");
            }
            if (right.failed() > 0) {
                return fail("expected your tests to pass on the correct code, but " + right.failed() + " of " + total
                        + " failed: " + firstFailure(right));
            }
            if (subject.uses() == before) {
                return fail("expected your tests to test the code under test, but they never called its get()");
            }
            List<String> caught = new java.util.ArrayList<>();
            for (var bug : subject.brokenVersions().entrySet()) {
                subject.use(bug.getValue());
                TestRun.Summary broken = TestRun.execute(limit, testClass);
                if (broken.failed() == 0) {
                    return fail("expected your tests to fail on a version that " + bug.getKey() + ", but they all passed"
                            + (caught.isEmpty() ? "" : " (they did catch the version that " + String.join(", and the one that ", caught) + ")")
                            + ": assert on what that version gets wrong");
                }
                caught.add(bug.getKey());
            }
            int bugs = caught.size();
            return pass(total + (total == 1 ? " test" : " tests") + ", " + bugs + (bugs == 1 ? " bug" : " bugs") + " caught");
        } finally {
            subject.use(subject.correct());
        }
    }

    private static String firstFailure(TestRun.Summary summary) {
        String first = summary.lines().stream().filter(l -> l.startsWith("✘")).findFirst().orElse("");
        return first.substring(Math.min(2, first.length()));
    }

    // ---------------------------------------------------------------------------------------------

    private record Outcome<T>(T value, String problem) {}

    /**
     * Where an answer runs: threads it starts inherit the daemon status of this thread. Never a
     * virtual thread, so an answer that spins forever does not hold one of the few carriers.
     */
    private enum Where { DAEMON, PLATFORM }

    /** Runs the answer on its own thread; a problem is described as the end of "expected X, …". */
    private static <T> Outcome<T> run(Work<T> answer, Duration limit, Where where) {
        if (answer == null) {
            return new Outcome<>(null, "got no answer at all (null instead of code to run)");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                result.complete(answer.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        Thread thread = switch (where) {
            case DAEMON -> Thread.ofPlatform().daemon(true).name("check").start(body);
            case PLATFORM -> Thread.ofPlatform().daemon(false).name("check").start(body);
        };
        try {
            return new Outcome<>(result.get(limit.toNanos(), TimeUnit.NANOSECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, threw(e.getCause()));
        } catch (TimeoutException e) {
            thread.interrupt();
            boolean stopped = join(thread, 1000);
            if (stopped) {
                return new Outcome<>(null, "but it was still running after " + secs(limit)
                        + " (it has been stopped): is something waiting forever?");
            }
            boolean spinning = thread.getState() == Thread.State.RUNNABLE;
            return new Outcome<>(null, "but it was still running after " + secs(limit)
                    + " and did not stop when interrupted, so it is "
                    + (spinning ? "still running and using a processor, slowing every cell after it"
                            : "still waiting (join() and some locks ignore interrupts) and stays until the kernel stops")
                    + ": make it respond to interrupts (and wait with a timeout), and " + RESTART);
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return new Outcome<>(null, "but the check was interrupted before the answer finished");
        }
    }

    private static String threw(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UnsupportedOperationException && "your turn".equalsIgnoreCase(String.valueOf(t.getMessage()))) {
            return "but the exercise is not answered yet (it still throws UnsupportedOperationException: your turn)";
        }
        String message = t.getMessage() == null ? "" : ": " + oneLine(t.getMessage());
        return "but it threw " + t.getClass().getSimpleName() + message;
    }

    private String pass() {
        return "✔ " + what + " — well done!";
    }

    private String pass(String detail) {
        return "✔ " + what + " (" + detail + ") — well done!";
    }

    private String fail(String detail) {
        String end = detail.endsWith(".") || detail.endsWith("?") || detail.endsWith("!") ? "" : ".";
        return "✘ " + what + ": " + oneLine(detail) + end + (hint == null ? "" : " Hint: " + oneLine(hint));
    }

    static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String s;
        if (value instanceof String str) {
            s = "\"" + str + "\"";
        } else if (value instanceof Thread t) {
            s = (t.isVirtual() ? "virtual thread " : "platform thread ") + "\"" + t.getName() + "\"";
        } else if (value.getClass().isArray()) {
            s = Arrays.deepToString(new Object[] {value});
            s = s.substring(1, s.length() - 1);
        } else {
            try {
                s = String.valueOf(value);
            } catch (RuntimeException e) {
                s = value.getClass().getSimpleName() + " (whose toString() threw " + e.getClass().getSimpleName() + ")";
            }
        }
        s = oneLine(s);
        return s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS - 1) + "…" : s;
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String span(Timeline.Task t) {
        Duration now = t.end().orElse(t.start());
        return String.format(Locale.ROOT, "%.2f–%.2f s", t.start().toNanos() / 1e9, t.end().orElse(now).toNanos() / 1e9);
    }

    private static String secs(Duration d) {
        double s = d.toNanos() / 1e9;
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static boolean join(Thread t, long millis) {
        try {
            return t.join(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !t.isAlive();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
