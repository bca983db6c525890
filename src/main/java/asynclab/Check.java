package asynclab;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A one-line verdict on an exercise: {@code ✔ posts are loaded — well done!} or
 * {@code ✘ posts are loaded: expected [Post[id=1, title=Lorem Ipsum]], got []. Hint: …}.
 *
 * <p>A check names what it checks, may carry a hint shown only on failure, and ends with one
 * verb that runs the learner's answer and prints the verdict:
 * {@snippet class=asynclab.ExamplesTest region=check :
 * check("posts are loaded").hint("call content.getPosts()")
 *         .expect(List.of(new Post(1, "Lorem Ipsum")), () -> posts());
 * var errands = errands(Duration.ofMillis(100));
 * check("both at once").runsAtOnce(errands,
 *         () -> loadBoth(errands.callable("posts"), errands.callable("albums")));
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
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final int MAX_VALUE_CHARS = 160;

    private final String what;
    private final String hint;
    private final Duration timeout;
    private final boolean timeoutGiven;

    private Check(String what, String hint, Duration timeout, boolean timeoutGiven) {
        this.what = what;
        this.hint = hint;
        this.timeout = timeout;
        this.timeoutGiven = timeoutGiven;
    }

    /** A check called {@code what}, as printed at the start of its line. */
    static Check that(String what) {
        return new Check(Objects.requireNonNull(what, "what"), null, DEFAULT_TIMEOUT, false);
    }

    /** The same check with a hint printed after a failure. */
    public Check hint(String hint) {
        return new Check(what, hint, timeout, timeoutGiven);
    }

    /** The same check, giving the answer {@code timeout} to finish instead of five seconds. */
    public Check within(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        return new Check(what, hint, timeout, true);
    }

    /** Passes if the answer returns a value equal to {@code expected} (arrays compared deeply). */
    public <T> void expect(T expected, Work<T> answer) {
        Grading.emit(expectLine(expected, answer));
    }

    /**
     * Passes if the answer returns a value that passes {@code test}; {@code expectation} says in
     * words what was expected, as in {@code "a list of two items"}.
     */
    public <T> void satisfies(String expectation, Predicate<? super T> test, Work<T> answer) {
        Grading.emit(satisfiesLine(expectation, test, answer));
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
        Grading.emit(takesAboutLine(seconds, answer));
    }

    /** Passes if the tasks called {@code a} and {@code b} in the timeline ran at the same time. */
    public void overlaps(String a, String b, Timeline timeline) {
        Grading.emit(overlapsLine(a, b, timeline));
    }

    /**
     * Passes if the thread the answer returns is a virtual thread. The answer itself runs on a
     * platform thread, so returning {@code Thread.currentThread()} is not enough.
     */
    public void isVirtualThread(Work<Thread> answer) {
        Grading.emit(isVirtualThreadLine(answer));
    }

    /**
     * Passes if no thread that the answer started is still alive half a second after it returns:
     * neither a virtual thread nor a non-daemon platform thread. The answer runs on a non-daemon
     * platform thread, so platform threads it starts are non-daemon unless it says otherwise;
     * virtual threads are found in a JSON thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}).
     */
    public void leavesNoThreadsRunning(Block answer) {
        Grading.emit(leavesNoThreadsRunningLine(answer));
    }

    /**
     * Passes if every JUnit Jupiter test in the given classes passes, run as
     * {@link TestRun#runTests} runs them, each test within the timeout.
     */
    public void passesTests(Class<?>... testClasses) {
        Grading.emit(passesTestsLine(testClasses));
    }

    /**
     * Passes if the answer ran the errands at the same time: every errand it was handed started,
     * every one started before any ended, none ran on the common pool, and none was still running
     * when the answer returned. The answer gets at least one errand's time per errand handed out
     * before the check, plus two seconds.
     */
    public void runsAtOnce(Errands errands, Block answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.AT_ONCE, 0, errands, ErrandVerdict.block(answer), null, false));
    }

    /** {@link #runsAtOnce(Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void runsAtOnce(Errands errands, T expected, Work<T> answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.AT_ONCE, 0, errands, answer, expected, true));
    }

    /**
     * Passes if the answer ran the errands one after the other: every errand started, no two
     * overlapped, none on the common pool, none still running when the answer returned.
     */
    public void runsOneAtATime(Errands errands, Block answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.ONE_AT_A_TIME, 1, errands, ErrandVerdict.block(answer), null, false));
    }

    /** {@link #runsOneAtATime(Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void runsOneAtATime(Errands errands, T expected, Work<T> answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.ONE_AT_A_TIME, 1, errands, answer, expected, true));
    }

    /**
     * Passes if the answer never ran more than {@code n} errands at once and did reach {@code n}
     * at once (or all of them, if fewer started), so more than one at a time: every errand
     * started, none on the common pool, none still running when the answer returned.
     */
    public void capsAt(int n, Errands errands, Block answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.CAPPED, n, errands, ErrandVerdict.block(answer), null, false));
    }

    /** {@link #capsAt(int, Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void capsAt(int n, Errands errands, T expected, Work<T> answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.CAPPED, n, errands, answer, expected, true));
    }

    /**
     * Passes if the answer gave up on errands and cancelled them: at least one errand was
     * interrupted, and every errand that did not finish its time was interrupted and had ended by
     * the time the answer returned (virtual threads included). An answer that only stops waiting
     * ({@code get(timeout)}, {@code orTimeout}, {@code CompletableFuture.cancel}) leaves its
     * errand running and gets ✘. So does one whose cancel never reaches the errands because the
     * task it cancels waits in a way that ignores interrupts ({@code CompletableFuture.join()},
     * {@code acquireUninterruptibly}): the line says so, and how long the answer took.
     */
    public void cancels(Errands errands, Block answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.CANCELS, 0, errands, ErrandVerdict.block(answer), null, false));
    }

    /** {@link #cancels(Errands, Block)}, and the answer must return {@code expected}. */
    public <T> void cancels(Errands errands, T expected, Work<T> answer) {
        Grading.emit(ErrandVerdict.line(this, ErrandVerdict.Shape.CANCELS, 0, errands, answer, expected, true));
    }

    /**
     * Passes if the answer returns a timeline of exactly the tasks named in {@code steps}, each
     * once and each finished when the answer returned, where the tasks of one step ran at the same
     * time and every task of a step started only after every task of the step before it ended:
     * {@code List.of(List.of("drive"), List.of("console", "fitting room"), List.of("cafe"))}.
     * Use it where an exercise draws its work on a {@link Timeline}; a ✘ line names the tasks the
     * timeline has, with their times, so a misspelt name or an early start shows at once.
     */
    public void runsInSteps(List<List<String>> steps, Work<Timeline> answer) {
        Grading.emit(StepsVerdict.line(this, steps, answer));
    }

    /**
     * Passes if the learner's JUnit test class passes against the correct version of the
     * {@code subject} and fails against every broken one, using the subject at least once. An
     * empty test, or one that asserts nothing the bugs change, gets ✘ naming a bug it missed.
     * Each test gets the timeout (five seconds unless {@link #within} says otherwise).
     */
    public <T> void catchesBugs(Subject<T> subject, Class<?> testClass) {
        Grading.emit(BugVerdict.line(this, subject, testClass));
    }

    @Override
    public String toString() {
        return "Check[" + what + (hint == null ? "" : ", hint=" + hint) + ", within " + timeout + "]";
    }


    /** What the check is called, as printed at the start of its line. */
    String what() {
        return what;
    }

    /** How long the answer may run. */
    Duration timeout() {
        return timeout;
    }

    /** Whether {@link #within} set the timeout (the errand verbs stretch a default one to fit). */
    boolean timeoutGiven() {
        return timeoutGiven;
    }

    <T> String errandsLine(ErrandVerdict.Shape shape, int n, Errands errands, Work<? extends T> answer, T expected, boolean checkValue) {
        return ErrandVerdict.line(this, shape, n, errands, answer, expected, checkValue);
    }

    <T> String catchesBugsLine(Subject<T> subject, Class<?> testClass) {
        return BugVerdict.line(this, subject, testClass);
    }


    // ---------------------------------------------------------------------------------------------
    // The verdicts as strings, for tests.

    <T> String expectLine(T expected, Work<T> answer) {
        Sandbox.Outcome<T> out = Sandbox.run(answer, timeout, Sandbox.Where.DAEMON);
        if (out.problem() != null) {
            return fail("expected " + describe(expected) + ", " + out.problem());
        }
        boolean equal;
        try {
            equal = Objects.deepEquals(expected, out.value());
        } catch (RuntimeException e) {
            return fail("expected " + describe(expected) + ", got " + describe(out.value()) + ", and comparing them threw "
                    + e.getClass().getSimpleName());
        }
        if (equal) {
            return pass();
        }
        String e = describe(expected);
        String g = describe(out.value());
        if (e.equals(g) && expected != null && out.value() != null) {
            e += " (" + expected.getClass().getSimpleName() + ")";
            g += " (" + out.value().getClass().getSimpleName() + ")";
        }
        return fail("expected " + e + ", got " + g);
    }

    <T> String satisfiesLine(String expectation, Predicate<? super T> test, Work<T> answer) {
        Sandbox.Outcome<T> out = Sandbox.run(answer, timeout, Sandbox.Where.DAEMON);
        if (out.problem() != null) {
            return fail("expected " + expectation + ", " + out.problem());
        }
        boolean ok;
        try {
            ok = test.test(out.value());
        } catch (RuntimeException e) {
            ok = false;
        }
        return ok ? pass() : fail("expected " + expectation + ", got " + describe(out.value()));
    }

    String takesAboutLine(double seconds, Block answer) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("seconds must be a finite number >= 0: " + seconds);
        }
        Duration time = Sandbox.max(timeout, Duration.ofMillis((long) (seconds * 2000) + 2000));
        Lag lag = Lag.start();
        long start = System.nanoTime();
        Sandbox.Outcome<Object> out;
        try {
            out = Sandbox.run(() -> {
                answer.run();
                return null;
            }, time, Sandbox.Where.DAEMON);
        } finally {
            lag.stop();
        }
        double took = (System.nanoTime() - start) / 1e9;
        String expected = String.format(Locale.ROOT, "about %.2f s", seconds);
        if (out.problem() != null) {
            return fail("expected it to take " + expected + ", " + out.problem());
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

    String overlapsLine(String a, String b, Timeline timeline) {
        if (timeline == null) {
            return fail("expected a timeline with tasks \"" + a + "\" and \"" + b + "\", got null");
        }
        List<Timeline.Task> tasks = timeline.tasks();
        for (String label : List.of(a, b)) {
            if (tasks.stream().noneMatch(t -> t.name().equals(label))) {
                List<String> labels = tasks.stream().map(Timeline.Task::name).distinct().limit(8).toList();
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
        TestResults summary = TestRun.execute(timeout, testClasses);
        int total = summary.passed() + summary.failed();
        if (summary.failed() > 0) {
            return fail("expected every test to pass, got " + summary.failed() + " of " + total + " failing: "
                    + BugVerdict.firstFailure(summary));
        }
        if (total == 0) {
            return fail("expected at least one test, got none: is each test method annotated with @Test?");
        }
        return pass(total + (total == 1 ? " test" : " tests") + " passed");
    }

    String isVirtualThreadLine(Work<Thread> answer) {
        Sandbox.Outcome<Thread> out = Sandbox.run(answer, timeout, Sandbox.Where.DAEMON);
        if (out.problem() != null) {
            return fail("expected a virtual thread, " + out.problem());
        }
        if (out.value() == null) {
            return fail("expected a virtual thread, got null");
        }
        if (out.value().isVirtual()) {
            return pass();
        }
        return fail("expected a virtual thread, got the platform thread \"" + out.value().getName() + "\"");
    }

    String leavesNoThreadsRunningLine(Block answer) {
        Set<Long> before = LiveThreads.now().keySet();
        Set<Long> ours = ConcurrentHashMap.newKeySet();
        long[] returned = new long[1];
        // the first look is taken on the answer's own thread the moment it returns: on a busy
        // machine the checker may run too late to see a thread that lives for one second
        Sandbox.Outcome<Map<Long, String>> out = Sandbox.run(() -> {
            ours.add(Thread.currentThread().threadId());
            answer.run();
            returned[0] = System.nanoTime();
            return LiveThreads.now();
        }, timeout, Sandbox.Where.PLATFORM);
        if (out.problem() != null) {
            return fail("expected it to finish and leave no threads running, " + out.problem());
        }
        // a thread about to end gets half a second; only a look begun within it counts
        long deadline = returned[0] + TimeUnit.MILLISECONDS.toNanos(500);
        Map<Long, String> left = new TreeMap<>(out.value());
        while (true) {
            left.keySet().removeAll(before);
            left.keySet().removeAll(ours);
            Sandbox.sleepQuietly(25);
            if (left.isEmpty() || System.nanoTime() > deadline) {
                break;
            }
            left = new TreeMap<>(LiveThreads.now());
        }
        if (left.isEmpty()) {
            return pass();
        }
        List<String> names = left.values().stream().limit(3).toList();
        return fail("expected no threads left running after it returned, got " + left.size()
                + (left.size() == 1 ? " still running: " : " still running, such as ") + String.join(", ", names)
                + " (close executors with try-with-resources, or join the threads)");
    }


    String pass() {
        return "✔ " + what + " — well done!";
    }
    String pass(String detail) {
        return "✔ " + what + " (" + detail + ") — well done!";
    }
    String fail(String detail) {
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
    static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
    private static String span(Timeline.Task t) {
        Duration now = t.end().orElse(t.start());
        return String.format(Locale.ROOT, "%.2f–%.2f s", t.start().toNanos() / 1e9, t.end().orElse(now).toNanos() / 1e9);
    }

    /** The line for a timing verdict the machine was too busy to give. */
    String tooBusy(long lateNanos) {
        return "✘ " + what + ": could not judge, the machine was too busy (a 10 ms sleep woke up "
                + String.format(Locale.ROOT, "%.2f s", lateNanos / 1e9)
                + " late), which is not your answer's fault: run the cell again when the machine is quieter.";
    }
}
