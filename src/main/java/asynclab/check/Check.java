package asynclab.check;

import asynclab.Block;
import asynclab.Work;
import asynclab.junit.TestRun;
import asynclab.timeline.Timeline;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A one-line verdict on an exercise: {@code ✔ posts are loaded — well done!} or
 * {@code ✘ posts are loaded: expected [Post[id=1, title=Lorem Ipsum]], got []. Hint: …}.
 *
 * <p>A check names what it checks, may carry a hint shown only on failure, and ends with one
 * verb that runs the learner's answer and prints the verdict:
 * {@snippet :
 * Check.that("posts are loaded").hint("call content.getPosts()").expect(() -> answer(), expected);
 * }
 *
 * <p>Nothing the answer does escapes as a stack trace. A {@code null}, an exception (including
 * the stub's {@code UnsupportedOperationException}) or code that never ends each becomes a ✘
 * line. The answer runs on a thread of its own for at most {@linkplain #within five seconds};
 * when time is up that thread is interrupted, and the check waits a moment for it to stop.
 *
 * <p>A {@code Check} is immutable: {@link #hint}, {@link #within} and {@link #praise} return a
 * new one, so a check kept in a variable can be reused.
 */
public final class Check {
    /** How long an answer may run unless {@link #within} says otherwise: five seconds. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(5);

    private static final int MAX_VALUE_CHARS = 160;

    private final String what;
    private final String hint;
    private final Duration limit;
    private final String praise;

    private Check(String what, String hint, Duration limit, String praise) {
        this.what = what;
        this.hint = hint;
        this.limit = limit;
        this.praise = praise;
    }

    /** A check called {@code what}, as printed at the start of its line. */
    public static Check that(String what) {
        return new Check(Objects.requireNonNull(what, "what"), null, DEFAULT_LIMIT, "well done!");
    }

    /** The same check with a hint printed after a failure. */
    public Check hint(String hint) {
        return new Check(what, hint, limit, praise);
    }

    /** The same check, giving the answer {@code limit} to finish instead of five seconds. */
    public Check within(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the limit must be positive: " + limit);
        }
        return new Check(what, hint, limit, praise);
    }

    /** The same check with other words after a pass than "well done!". */
    public Check praise(String praise) {
        return new Check(what, hint, limit, Objects.requireNonNull(praise, "praise"));
    }

    /** Passes if the answer returns a value equal to {@code expected} (arrays compared deeply). */
    public <T> void expect(Work<T> answer, T expected) {
        System.out.println(expectLine(answer, expected));
    }

    /**
     * Passes if the answer returns a value that passes {@code test}; {@code expectation} says in
     * words what was expected, as in {@code "a list of two items"}.
     */
    public <T> void satisfies(Work<T> answer, String expectation, Predicate<? super T> test) {
        System.out.println(satisfiesLine(answer, expectation, test));
    }

    /**
     * Passes if the answer takes about {@code seconds} of wall-clock time: within a quarter of
     * a second, or a quarter of the figure if that is more. The answer gets at least twice the
     * expected time plus two seconds to finish.
     */
    public void takesAbout(double seconds, Block answer) {
        System.out.println(takesAboutLine(seconds, answer));
    }

    /** Passes if the tasks called {@code a} and {@code b} in the timeline ran at the same time. */
    public void overlaps(Timeline timeline, String a, String b) {
        System.out.println(overlapsLine(timeline, a, b));
    }

    /**
     * Passes if the thread the answer returns is a virtual thread. The answer itself runs on a
     * platform thread, so returning {@code Thread.currentThread()} is not enough.
     */
    public void isVirtualThread(Work<Thread> answer) {
        System.out.println(isVirtualThreadLine(answer));
    }

    /**
     * Passes if no thread that the answer started is still alive half a second after it returns:
     * neither a virtual thread nor a non-daemon platform thread. The answer runs on a non-daemon
     * platform thread, so platform threads it starts are non-daemon unless it says otherwise;
     * virtual threads are found in a thread dump ({@code HotSpotDiagnosticMXBean.dumpThreads}).
     */
    public void leavesNoThreadsRunning(Block answer) {
        System.out.println(leavesNoThreadsRunningLine(answer));
    }

    /**
     * Passes if every JUnit Jupiter test in the given classes passes, run as
     * {@link asynclab.junit.TestRun#runTests} runs them. Starting JUnit takes a second or two the
     * first time, so the answer gets ten seconds more than the limit.
     */
    public void passesTests(Class<?>... testClasses) {
        System.out.println(passesTestsLine(testClasses));
    }

    @Override
    public String toString() {
        return "Check[" + what + (hint == null ? "" : ", hint=" + hint) + ", within " + limit + "]";
    }

    // ---------------------------------------------------------------------------------------------
    // The verdicts as strings, for tests.

    <T> String expectLine(Work<T> answer, T expected) {
        Outcome<T> out = run(answer, limit, Where.VIRTUAL);
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
        Outcome<T> out = run(answer, limit, Where.VIRTUAL);
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
        long start = System.nanoTime();
        Outcome<Object> out = run(() -> {
            answer.run();
            return null;
        }, time, Where.VIRTUAL);
        double took = (System.nanoTime() - start) / 1e9;
        String expected = String.format(Locale.ROOT, "about %.2f s", seconds);
        if (out.problem != null) {
            return fail("expected it to take " + expected + ", " + out.problem);
        }
        double tolerance = Math.max(0.25, seconds * 0.25);
        String got = String.format(Locale.ROOT, "%.2f s", took);
        return Math.abs(took - seconds) <= tolerance ? pass("took " + got)
                : fail("expected it to take " + expected + ", got " + got);
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
        Outcome<TestRun.Summary> out = run(() -> TestRun.execute(limit, testClasses),
                limit.plusSeconds(10), Where.PLATFORM);
        if (out.problem != null) {
            return fail("expected the tests to pass, " + out.problem);
        }
        TestRun.Summary summary = out.value;
        int total = summary.passed() + summary.failed();
        if (summary.failed() > 0) {
            String first = summary.lines().stream().filter(l -> l.startsWith("✘")).findFirst().orElse("");
            return fail("expected every test to pass, got " + summary.failed() + " of " + total + " failing: "
                    + first.substring(Math.min(2, first.length())));
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
        Set<Long> before = liveThreadIds();
        Set<Long> ours = new HashSet<>();
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
            left = startedThreads(before, ours);
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

    private record Outcome<T>(T value, String problem) {}

    /** Where an answer runs: threads it starts inherit the daemon status of this thread. */
    private enum Where { VIRTUAL, DAEMON, PLATFORM }

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
            case VIRTUAL -> Thread.ofVirtual().name("check").start(body);
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
            return new Outcome<>(null, "but it was still running after " + secs(limit)
                    + (stopped ? " (it has been stopped)" : " and did not stop when interrupted")
                    + ": is something waiting forever?");
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
        return "✔ " + what + " — " + praise;
    }

    private String pass(String detail) {
        return "✔ " + what + " (" + detail + ") — " + praise;
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

    // ---------------------------------------------------------------------------------------------
    // Which threads are alive: platform threads from the JVM, virtual threads from a thread dump.

    private static Set<Long> liveThreadIds() {
        return new HashSet<>(allThreads().keySet());
    }

    /** Threads alive now that were not in {@code before}, leaving out daemon platform threads. */
    private static Map<Long, String> startedThreads(Set<Long> before, Set<Long> ignore) {
        Map<Long, String> now = allThreads();
        Map<Long, String> started = new TreeMap<>();
        Map<Long, Thread> platform = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            platform.put(t.threadId(), t);
        }
        for (Map.Entry<Long, String> e : now.entrySet()) {
            long id = e.getKey();
            if (before.contains(id) || ignore.contains(id)) {
                continue;
            }
            Thread t = platform.get(id);
            if (t != null && (t.isDaemon() || !t.isAlive())) {
                continue;
            }
            String name = e.getValue().isEmpty() ? "#" + id : "\"" + e.getValue() + "\"";
            started.put(id, (t == null ? "virtual thread " : "thread ") + name);
        }
        return started;
    }

    private static final Pattern TID = Pattern.compile("\"tid\"\\s*:\\s*\"?(\\d+)\"?");
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Every live thread, virtual ones included, by id; platform threads only if no dump can be made. */
    private static Map<Long, String> allThreads() {
        Map<Long, String> threads = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            threads.put(t.threadId(), t.getName());
        }
        Optional<String> dump = threadDump();
        if (dump.isPresent()) {
            String json = dump.get();
            Matcher tid = TID.matcher(json);
            List<int[]> starts = new java.util.ArrayList<>();
            List<Long> ids = new java.util.ArrayList<>();
            while (tid.find()) {
                starts.add(new int[] {tid.start()});
                ids.add(Long.parseLong(tid.group(1)));
            }
            for (int i = 0; i < ids.size(); i++) {
                int from = starts.get(i)[0];
                int to = i + 1 < ids.size() ? starts.get(i + 1)[0] : json.length();
                Matcher name = NAME.matcher(json).region(from, to);
                threads.putIfAbsent(ids.get(i), name.find() ? name.group(1) : "");
            }
        }
        return threads;
    }

    private static Optional<String> threadDump() {
        Path dir = null;
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            dir = Files.createTempDirectory("asynclab-threads");
            Path file = dir.resolve("dump.json");
            bean.dumpThreads(file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
            String json = Files.readString(file);
            Files.deleteIfExists(file);
            return Optional.of(json);
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir);
                } catch (Exception e) {
                    // a leftover empty temporary folder is harmless
                }
            }
        }
    }
}
