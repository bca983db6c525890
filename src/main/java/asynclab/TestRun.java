package asynclab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs JUnit Jupiter test classes inside a notebook and prints a readable summary, one line per
 * test and a total:
 * <pre>
 * ✔ PostsTest.postsArrive()
 * ✘ PostsTest.albumsArrive(): expected: &lt;1&gt; but was: &lt;2&gt;
 * 2 tests: 1 passed, 1 failed (0.01 s)
 * </pre>
 * The time is the tests' own, as the console launcher reports it: starting JUnit (about two
 * seconds the first time in a kernel) and finding the tests are not counted.
 *
 * <p>Test classes may be declared in notebook cells: they are selected by their {@code Class}
 * object, never looked up by name. The tests run one after another through the JUnit Platform
 * Launcher, on a thread of their own whose context class loader sees both the JUnit engine and
 * the classes. Each test gets a timeout ({@link #DEFAULT_TIMEOUT} unless given) and runs on a
 * separate thread, so a test that ignores interrupts still fails on time instead of hanging the
 * notebook; that test's thread is then left running, and its line says to restart the kernel.
 *
 * @apiNote Needs the JUnit console standalone jar (or the Jupiter engine and the platform
 * launcher) on the class path beside the helper jar.
 */
final class TestRun {
    /** How long each test may run unless told otherwise: ten seconds. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private TestRun() {}

    /** Runs the tests in the given classes and prints one line per test and a summary. */
    static void runTests(Class<?>... testClasses) {
        runTests(DEFAULT_TIMEOUT, testClasses);
    }

    /** Same as {@link #runTests(Class...)}, with {@code timeout} for each test. */
    static void runTests(Duration timeout, Class<?>... testClasses) {
        TestResults summary = execute(timeout, testClasses);
        summary.lines().forEach(System.out::println);
    }


    /** Runs the tests without printing; see {@link TestResults}. */
    static TestResults execute(Duration timeout, Class<?>... testClasses) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive: " + timeout);
        }
        if (testClasses == null || testClasses.length == 0) {
            return new TestResults(List.of("no test classes given: runTests(MyTest.class)"), 0, 0, 0);
        }
        for (Class<?> c : testClasses) {
            Objects.requireNonNull(c, "test class");
        }
        Listener listener = new Listener();
        long[] times = new long[2];
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(java.util.Arrays.stream(testClasses).map(DiscoverySelectors::selectClass).toList())
                .configurationParameter("junit.jupiter.execution.timeout.default", timeout.toMillis() + " ms")
                .configurationParameter("junit.jupiter.execution.timeout.mode", "enabled")
                .configurationParameter("junit.jupiter.execution.timeout.thread.mode.default", "SEPARATE_THREAD")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "false")
                .configurationParameter("junit.platform.stacktrace.pruning.enabled", "true")
                .build();
        ClassLoader loader = loaderFor(testClasses[0], Thread.currentThread().getContextClassLoader());
        int[] tests = {1};
        Thread runner = Thread.ofPlatform().daemon(true).name("junit").unstarted(() -> {
            try {
                Launcher launcher = LauncherFactory.create();
                TestPlan plan = launcher.discover(request);
                tests[0] = (int) Math.max(1, plan.countTestIdentifiers(TestIdentifier::isTest));
                times[0] = System.nanoTime(); // the tests' own time, as the console launcher reports it
                launcher.execute(plan, listener);
                times[1] = System.nanoTime();
            } catch (RuntimeException | LinkageError e) {
                synchronized (listener) {
                    listener.lines.add("✘ could not run the tests: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + oneLine(e.getMessage())));
                    listener.failed++;
                }
            }
        });
        runner.setContextClassLoader(loader);
        runner.start();
        boolean finished = awaitTests(runner, timeout, tests);
        long start = times[0];
        long end = times[1];
        synchronized (listener) {
            if (!finished) {
                listener.lines.add("✘ the tests were still running after every test's time was up and were abandoned:"
                        + " a test ignores interrupts; restart the kernel (Kernel → Restart) to stop it");
                listener.failed++;
                end = System.nanoTime();
            }
            return summarize(listener, testClasses, (end - start) / 1e9);
        }
    }

    /**
     * Waits for the run: discovery and start-up get 30 s, then each test its timeout and two
     * seconds more. JUnit fails a test that overruns without waiting for it (separate-thread
     * mode), so this bound is only reached when JUnit itself is stuck.
     */
    private static boolean awaitTests(Thread runner, Duration timeout, int[] tests) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try {
            while (runner.isAlive()) {
                long bound = deadline + (long) tests[0] * (timeout.toNanos() + 2_000_000_000L);
                long left = bound - System.nanoTime();
                if (left <= 0) {
                    runner.interrupt();
                    return !runner.isAlive();
                }
                runner.join(Duration.ofNanos(Math.min(left, 50_000_000L)));
            }
            return true;
        } catch (InterruptedException e) {
            runner.interrupt();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static TestResults summarize(Listener listener, Class<?>[] testClasses, double seconds) {
        int total = listener.passed + listener.failed + listener.skipped;
        List<String> lines = new ArrayList<>(listener.lines);
        if (total == 0) {
            lines.add("no tests found in " + names(testClasses)
                    + ": are the methods annotated with @Test (org.junit.jupiter.api.Test)?");
        } else {
            lines.add(String.format(Locale.ROOT, "%d %s: %d passed, %d failed%s (%.2f s)", total, total == 1 ? "test" : "tests",
                    listener.passed, listener.failed, listener.skipped == 0 ? "" : ", " + listener.skipped + " skipped", seconds));
        }
        return new TestResults(List.copyOf(lines), listener.passed, listener.failed, listener.skipped);
    }

    private static String names(Class<?>... classes) {
        return String.join(", ", java.util.Arrays.stream(classes).map(Class::getSimpleName).toList());
    }

    /** The test class's own loader if it can see the Jupiter engine, else this jar's loader. */
    private static ClassLoader loaderFor(Class<?> testClass, ClassLoader fallback) {
        for (ClassLoader loader : new ClassLoader[] {testClass.getClassLoader(), TestRun.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Class.forName("org.junit.jupiter.engine.JupiterTestEngine", false, loader);
                return loader;
            } catch (ClassNotFoundException | LinkageError e) {
                // try the next one
            }
        }
        return fallback;
    }

    private static final class Listener implements TestExecutionListener {
        final List<String> lines = new ArrayList<>();
        int passed;
        int failed;
        int skipped;

        @Override
        public synchronized void executionSkipped(TestIdentifier id, String reason) {
            if (id.isTest()) {
                skipped++;
                lines.add("– " + name(id) + " skipped" + (reason == null || reason.isBlank() ? "" : ": " + oneLine(reason)));
            }
        }

        @Override
        public synchronized void executionFinished(TestIdentifier id, TestExecutionResult result) {
            boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            if (id.isTest()) {
                if (ok) {
                    passed++;
                    lines.add("✔ " + name(id));
                } else {
                    failed++;
                    lines.add("✘ " + name(id) + ": " + reason(result));
                }
            } else if (!ok && id.getSource().isPresent()) {
                failed++;
                lines.add("✘ " + name(id) + ": " + reason(result));
            }
        }

        private static String reason(TestExecutionResult result) {
            Optional<Throwable> t = result.getThrowable();
            if (t.isEmpty()) {
                return String.valueOf(result.getStatus()).toLowerCase(Locale.ROOT);
            }
            Throwable e = t.get();
            String type = e.getClass().getSimpleName();
            String message = e.getMessage() == null ? "" : oneLine(e.getMessage());
            if (type.equals("AssertionFailedError") || type.equals("AssertionError")) {
                return message.isEmpty() ? "assertion failed" : message;
            }
            String text = type + (message.isEmpty() ? "" : ": " + message);
            return text.length() > 240 ? text.substring(0, 239) + "…" : text;
        }

        private static String name(TestIdentifier id) {
            Optional<TestSource> source = id.getSource();
            if (source.isPresent() && source.get() instanceof MethodSource m) {
                return simple(m.getClassName()) + "." + id.getDisplayName();
            }
            if (source.isPresent() && source.get() instanceof ClassSource c) {
                return simple(c.getClassName());
            }
            return id.getDisplayName();
        }
    }

    /** {@code REPL.$JShell$12$PostsTest} and {@code a.b.PostsTest} both become {@code PostsTest}. */
    static String simple(String className) {
        int cut = Math.max(className.lastIndexOf('.'), className.lastIndexOf('$'));
        return className.substring(cut + 1);
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
