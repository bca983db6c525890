package asynclab;

import java.time.Duration;

/**
 * The course's one entry point, meant to be imported statically: {@code import static asynclab.Lab.*;}.
 *
 * <p>Every object a lesson starts from is made here, each by one name: the fake data source
 * ({@link #content()}), the clocks ({@link #virtualClock()}, {@link #realDelay()}), the pictures
 * ({@link #timeline}, {@link #chart}), the checks ({@link #check}, {@link #errands},
 * {@link #subject}), the mall's server ({@link #mallServer}) and the thread dump
 * ({@link #threadDump()}). The classes they return have no public constructor or factory.
 * {@snippet class=asynclab.LabTest region=example :
 * var clock = virtualClock();                  // time that passes when told to
 * var content = content(clock);                // the guide's data source on it
 * var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::of);
 * clock.runUntilIdle();                         // one virtual second, at once
 * check("both arrive").expect(2, () -> both.join().size());
 * var errands = errands(Duration.ofMillis(100)); // fakes that record what ran when
 * check("at once").runsAtOnce(errands, () -> {
 *     try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
 *         pool.submit(errands.supplier("posts")::get);
 *         pool.submit(errands.supplier("albums")::get);
 *     }
 * });
 * }
 *
 * <p>One rule for printing: a helper either prints (or draws) and returns nothing, or returns
 * and prints nothing. {@code time} prints what {@code measure} returns, {@code runTests} prints
 * what {@code testResults} returns, {@code show()} draws what {@code svg()} and {@code text()}
 * return. A notebook shows the value of a cell's last expression, so a printing helper that
 * also returned a value would show it twice.
 */
public final class Lab {
    static {
        WarmUp.run();   // so a fresh kernel's first timing is not inflated by class loading
    }

    private Lab() {}

    // ---- timing ----------------------------------------------------------------------------

    /**
     * Runs {@code block} and prints the guide's line, {@code Execution time: 1.00 seconds.}
     *
     * <p>The block runs inside this one call to compiled code, so the kernel's compilation of
     * the cell around it is not counted; timing two statements of a cell apart would count it.
     * Checked exceptions thrown by the block come out wrapped in
     * {@link java.util.concurrent.CompletionException}, unchecked ones as they are, and nothing
     * is printed when the block throws.
     */
    public static void time(Block block) {
        System.out.println(timed(block).line());
    }

    /** Runs {@code block} and prints {@code label: Execution time: 1.00 seconds.}; see {@link #time(Block)}. */
    public static void time(String label, Block block) {
        System.out.println(label + ": " + timed(block).line());
    }

    /** Runs {@code work} and returns its value and how long it took, printing nothing; see {@link #time(Block)}. */
    public static <T> Timed<T> measure(Work<T> work) {
        long start = System.nanoTime();
        T value = Unchecked.get(work);
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Timed<Void> timed(Block block) {
        return measure(() -> {
            block.run();
            return null;
        });
    }

    // ---- pictures --------------------------------------------------------------------------

    /** A new, empty timeline on the wall clock; see {@link Timeline}. */
    public static Timeline timeline(String title) {
        return Timeline.start(title);
    }

    /** A new, empty timeline that reads virtual time from {@code clock}, for tests on a {@link VirtualClock}. */
    public static Timeline timeline(String title, VirtualClock clock) {
        return Timeline.start(title, clock);
    }

    /** Draws one timeline, or several stacked on one shared time axis. */
    public static void show(Timeline... timelines) {
        if (timelines.length == 0) {
            throw new IllegalArgumentException("no timeline to draw");
        }
        timelines[0].show(java.util.Arrays.copyOfRange(timelines, 1, timelines.length));
    }

    /** An empty line chart with this title; see {@link Chart}. */
    public static Chart chart(String title) {
        return Chart.titled(title);
    }

    // ---- the fake data source and its clocks -----------------------------------------------

    /** The guide's data source, each fetch waiting one real second; see {@link Content}. */
    public static Content content() {
        return new Content(RealDelay.INSTANCE);
    }

    /** The guide's data source, each fetch waiting through {@code delay}, for instance a {@link VirtualClock}. */
    public static Content content(Delay delay) {
        return new Content(delay);
    }

    /**
     * The wall clock as a {@link Delay}: {@link Thread#sleep(Duration)} and
     * {@link java.util.concurrent.CompletableFuture#delayedExecutor}.
     *
     * <p>A future from {@code after} completes on a new virtual thread, so code chained to it
     * with {@code thenApply} never holds up other timers.
     */
    public static Delay realDelay() {
        return RealDelay.INSTANCE;
    }

    /** A virtual clock at time zero whose waits give up after {@link VirtualClock#DEFAULT_TIMEOUT} of real time. */
    public static VirtualClock virtualClock() {
        return new VirtualClock(VirtualClock.DEFAULT_TIMEOUT);
    }

    /**
     * A virtual clock at time zero whose waits give up after {@code timeout} of real time.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public static VirtualClock virtualClock(Duration timeout) {
        return new VirtualClock(timeout);
    }

    // ---- checks ----------------------------------------------------------------------------

    /** A check called {@code what}; end it with a verb such as {@code expect}; see {@link Check}. */
    public static Check check(String what) {
        return Check.that(what);
    }

    /**
     * Recording errands that each block their thread for {@code each}, for the errand verbs of
     * {@link Check}; {@link Errands#delay()} makes them the waits of a {@link #content(Delay)}.
     */
    public static Errands errands(Duration each) {
        return Errands.blocking(each);
    }

    /** A subject whose correct version is {@code correct}, for {@link Check#catchesBugs}; add bugs with {@code broken}. */
    public static <T> Subject<T> subject(T correct) {
        return Subject.of(correct);
    }

    /** Runs JUnit Jupiter test classes, declared in cells or not, and prints a line per test and a summary. */
    public static void runTests(Class<?>... testClasses) {
        TestRun.runTests(TestRun.DEFAULT_TIMEOUT, testClasses);
    }

    /** {@link #runTests(Class...)} with {@code timeout} for each test instead of ten seconds. */
    public static void runTests(Duration timeout, Class<?>... testClasses) {
        TestRun.runTests(timeout, testClasses);
    }

    /** Runs the tests as {@link #runTests(Class...)} does and returns what it would print, printing nothing. */
    public static TestResults testResults(Class<?>... testClasses) {
        return TestRun.execute(TestRun.DEFAULT_TIMEOUT, testClasses);
    }

    /** {@link #testResults(Class...)} with {@code timeout} for each test. */
    public static TestResults testResults(Duration timeout, Class<?>... testClasses) {
        return TestRun.execute(timeout, testClasses);
    }

    // ---- the mall's server and the threads -------------------------------------------------

    /** Starts the mall's HTTP server on 127.0.0.1, every path answering after one second; see {@link MallServer}. */
    public static MallServer mallServer() {
        return MallServer.start(Duration.ofSeconds(1));
    }

    /** Starts the mall's HTTP server on 127.0.0.1 and a free port, every path answering after {@code latency}. */
    public static MallServer mallServer(Duration latency) {
        return MallServer.start(latency);
    }

    /** A JSON thread dump of this JVM taken now, virtual threads and structured scopes included; see {@link ThreadDump}. */
    public static ThreadDump threadDump() {
        return ThreadDump.take();
    }

    /** Reads a JSON thread dump, as {@link #threadDump()} or {@code jcmd <pid> Thread.dump_to_file -format=json} wrote it. */
    public static ThreadDump threadDump(String json) {
        return ThreadDump.parse(json);
    }
}
